package net.dnsoops.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.TextNode;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.dnsoops.core.ZoneSettings;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

/** Resolving a zone's settings against "defaults", including the shortcut for zones that set nothing. */
class ZoneConfigTest {
    @Test
    void everySettingAZoneCanMakeKeepsItOffTheSharedDefaults() throws Exception {
        // A setting missing from setsNothing() would be silently replaced by the defaults.
        assertTrue(new ZoneConfig().setsNothing());
        for (Field f : ZoneConfig.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers())) continue;
            ZoneConfig z = new ZoneConfig();
            f.set(z, sample(f.getType()));
            assertFalse(z.setsNothing(), "a zone setting only " + f.getName() + " must not be resolved as the defaults");
        }
        ZoneConfig withField = new ZoneConfig();
        withField.field("last-octet", TextNode.valueOf("7"));
        assertFalse(withField.setsNothing());
    }

    @Test
    void zonesThatSetNothingGetTheDefaultsUnderTheirOwnNameAndTheOthersKeepTheirs() {
        ZoneConfig defaults = new ZoneConfig();
        defaults.primaries = List.of(new InetSocketAddress("192.0.2.1", 53));
        defaults.soaTries = 5;
        defaults.field("site", TextNode.valueOf("ams"));
        ZoneConfig d = defaults.overlay(ZoneConfig.BUILTIN);
        ZoneConfig own = new ZoneConfig();
        own.soaTries = 2;
        Map<Object, Object> shared = new HashMap<>();
        ZoneSettings a = new ZoneConfig().resolve(Name.fromConstantString("a.test."), d, TsigKeys.NONE, shared);
        ZoneSettings b = new ZoneConfig().resolve(Name.fromConstantString("b.test."), d, TsigKeys.NONE, shared);
        ZoneSettings c = own.resolve(Name.fromConstantString("c.test."), d, TsigKeys.NONE, shared);
        ZoneSettings full = new ZoneConfig().resolve(Name.fromConstantString("a.test."), d, TsigKeys.NONE);

        assertEquals(full, a, "the shortcut must give what a full resolution gives");
        assertEquals(Name.fromConstantString("b.test."), b.name());
        assertEquals(5, b.soaTries());
        assertEquals("ams", b.fields().get("site"));
        assertEquals("192.0.2.1@53", b.fields().get("primaries"));
        assertEquals(2, c.soaTries());
        assertEquals(defaults.primaries, c.primaries());
        // memory: zones configured alike share one profile, a million of them too
        assertSame(a.profile(), b.profile());
        ZoneConfig alsoTwo = new ZoneConfig();
        alsoTwo.soaTries = 2;
        assertSame(c.profile(), alsoTwo.resolve(Name.fromConstantString("d.test."), d, TsigKeys.NONE, shared).profile());
        assertNotSame(a.profile(), c.profile());
    }

    private static Object sample(Class<?> type) {
        if (type == List.class) return List.of();
        if (type == String.class) return "x";
        if (type == Boolean.class) return Boolean.TRUE;
        if (type == Integer.class) return 1;
        if (type == Double.class) return 0.5;
        if (type == Duration.class) return Duration.ofSeconds(1);
        throw new AssertionError("ZoneConfigTest needs a sample value for " + type);
    }
}
