package net.dnsoops.actuator.dbus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import net.dnsoops.config.ConfigException;
import net.dnsoops.config.ConfigLoader;
import net.dnsoops.config.DnsOopsConfig;
import net.dnsoops.core.Condition;
import net.dnsoops.core.ConditionType;
import net.dnsoops.dbus.KnotEvents;
import org.freedesktop.dbus.messages.DBusSignal;
import org.junit.jupiter.api.Test;

/** Which condition becomes which signal, and the "dbus" config section. No bus needed. */
class DbusActuatorTest {
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    private static Condition zone(ConditionType type, boolean raised, long serial, long old) {
        return new Condition(type, raised, T, "example.com.", "default", serial, old, "192.0.2.1", Map.of(), "");
    }

    @Test
    void knotProfileSendsExactlyKnotsSignals() {
        KnotSignals k = new KnotSignals();
        DBusSignal started = k.signalFor(Condition.bridge(ConditionType.BRIDGE_STARTED, true, T)).orElseThrow();
        assertEquals("started", started.getName());
        assertEquals(KnotEvents.INTERFACE, started.getInterface());
        assertEquals(KnotEvents.PATH, started.getPath());
        assertTrue(k.signalFor(Condition.bridge(ConditionType.BRIDGE_STARTED, false, T)).isEmpty());
        assertEquals("stopped", k.signalFor(Condition.bridge(ConditionType.BRIDGE_STOPPING, true, T))
                .orElseThrow().getName());

        // First load: zone-ready gives zone_updated (knotd sends it at initial load too).
        DBusSignal first = k.signalFor(zone(ConditionType.ZONE_READY, true, 7, -1)).orElseThrow();
        assertEquals("zone_updated", first.getName());
        assertEquals("su", first.getSig());
        KnotEvents.ZoneUpdated z = (KnotEvents.ZoneUpdated) first;
        assertEquals("example.com.", z.zone());
        assertEquals(7, z.zoneSerial());
        assertTrue(k.signalFor(zone(ConditionType.ZONE_UPDATED, true, 8, 7)).isPresent());
        // zone-ready again for the same serial (e.g. after expiry): no duplicate.
        assertTrue(k.signalFor(zone(ConditionType.ZONE_READY, true, 8, -1)).isEmpty());
        // Knot has no signal for failures, expiry or services.
        for (ConditionType t : new ConditionType[] {ConditionType.ZONE_REFRESH_FAILED, ConditionType.ZONE_EXPIRED,
                ConditionType.ZONE_EXPIRING, ConditionType.ZONE_RECOVERED, ConditionType.SERVICE_READY,
                ConditionType.SERVER_UP}) {
            assertTrue(k.signalFor(zone(t, true, 9, -1)).isEmpty(), t.wireName());
        }
        assertTrue(k.signalFor(zone(ConditionType.ZONE_READY, false, 9, -1)).isEmpty(), "cleared zone-ready");
    }

    @Test
    void serialsAbove2to31AreSentUnsigned() {
        KnotEvents.ZoneUpdated z = (KnotEvents.ZoneUpdated) new KnotSignals()
                .signalFor(zone(ConditionType.ZONE_READY, true, 4294967295L, -1)).orElseThrow();
        assertEquals(4294967295L, z.zoneSerial());
    }

    @Test
    void nativeProfileHasASignalForEveryCondition() {
        for (ConditionType t : ConditionType.values()) {
            Condition c = switch (t.scope()) {
                case ZONE -> zone(t, true, 5, 4);
                case SERVICE -> Condition.service(t, "default", T);
                case BRIDGE -> Condition.bridge(t, true, T);
                case SERVER -> Condition.server(t, "cz.nic.knotd", T, "knotd started");
            };
            DBusSignal s = NativeSignals.signalFor(c);
            assertNotNull(s, t.wireName());
            assertEquals(NativeBridge.INTERFACE, s.getInterface());
            assertEquals(NativeBridge.PATH, s.getPath());
            assertEquals(camel(t.wireName()), s.getName(), "signal name for " + t.wireName());
        }
        assertEquals("ssuus", NativeSignals.signalFor(zone(ConditionType.ZONE_UPDATED, true, 5, 4)).getSig());
        assertEquals("ssbu", NativeSignals.signalFor(zone(ConditionType.ZONE_READY, false, 5, -1)).getSig());
    }

    private static String camel(String kebab) {
        StringBuilder b = new StringBuilder();
        for (String part : kebab.split("-")) b.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        return b.toString();
    }

    @Test
    void configDefaultsAndErrors() throws ConfigException {
        DnsOopsConfig none = ConfigLoader.parse("{}", "t.json");
        assertNull(none.dbus, "absent section: D-Bus off");
        DnsOopsConfig c = ConfigLoader.parse("{ \"dbus\": {} }", "t.json");
        assertTrue(c.dbus.knotProfile);
        assertTrue(c.dbus.nativeProfile);
        assertNull(c.dbus.address);
        assertEquals(Duration.ofSeconds(1), c.dbus.signalDelay);
        DnsOopsConfig d = ConfigLoader.parse("{ \"dbus\": { \"address\": \"unix:path=/tmp/x\", \"knot-profile\": false,"
                + " \"signal-delay\": \"250ms\" } }", "t.json");
        assertFalse(d.dbus.knotProfile);
        assertEquals("unix:path=/tmp/x", d.dbus.address);
        assertEquals(Duration.ofMillis(250), d.dbus.signalDelay);

        ConfigException unknown = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("{ \"dbus\": { \"knot-profil\": true } }", "t.json"));
        assertTrue(unknown.getMessage().contains("t.json:1:"), unknown.getMessage());
        ConfigException off = assertThrows(ConfigException.class, () -> ConfigLoader.parse(
                "{ \"dbus\": { \"knot-profile\": false, \"native-profile\": false } }", "t.json"));
        assertTrue(off.getMessage().contains("knot-profile"), off.getMessage());
    }
}
