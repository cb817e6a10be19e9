package net.dnsoops.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import net.dnsoops.input.probe.ProbeConfig;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

/** A reload's diff of config entries, matched by the name their conditions carry. */
class ConfigDiffTest {
    static ProbeConfig probe(String name, int port) {
        ProbeConfig c = new ProbeConfig();
        c.name = name;
        c.address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        c.zone = Name.fromConstantString("a.test.");
        c.validate();
        return c;
    }

    @Test
    void entriesAreAddedRemovedChangedOrKeptByName() {
        ProbeConfig keep = probe("keep", 5301);
        ProbeConfig move = probe("move", 5302);
        ProbeConfig gone = probe("gone", 5303);
        ProbeConfig keepAgain = probe("keep", 5301); // another object, same settings: as read from a reloaded file
        ProbeConfig moved = probe("move", 5399);
        ProbeConfig fresh = probe("fresh", 5304);

        ConfigDiff<ProbeConfig> d = ConfigDiff.of(List.of(keep, move, gone), List.of(keepAgain, moved, fresh),
                ProbeConfig::serverName);

        assertEquals(List.of(fresh), d.added());
        assertEquals(List.of(gone), d.removed());
        assertEquals(1, d.changed().size());
        assertSame(move, d.changed().get(0).before());
        assertSame(moved, d.changed().get(0).after());
        assertEquals(1, d.unchanged().size());
        assertSame(keep, d.unchanged().get(0), "the running entry is kept, with whatever state hangs on it");
        assertFalse(d.isEmpty());
    }

    @Test
    void everyPublicFieldIsASettingUnlessIgnored() {
        ProbeConfig a = probe("nsd", 5301);
        ProbeConfig b = probe("nsd", 5301);
        assertTrue(ConfigDiff.sameSettings(a, b));
        b.fall = 5;
        assertFalse(ConfigDiff.sameSettings(a, b), "a threshold");
        b.fall = a.fall;
        b.interval = Duration.ofSeconds(7);
        assertFalse(ConfigDiff.sameSettings(a, b), "a duration");
        assertTrue(ConfigDiff.sameSettings(a, b, "interval"));
        b.interval = a.interval;
        b.services = List.of("anycast");
        assertFalse(ConfigDiff.sameSettings(a, b), "a list");
        b.services = List.of();
        b.systemdUnit = "nsd.service";
        assertFalse(ConfigDiff.sameSettings(a, b), "a field added after the diff was written is compared too");
    }

    @Test
    void anUnchangedListIsAnEmptyDiff() {
        ConfigDiff<ProbeConfig> d = ConfigDiff.of(List.of(probe("a", 1), probe("b", 2)), List.of(probe("b", 2), probe("a", 1)),
                ProbeConfig::serverName);
        assertTrue(d.isEmpty(), "order does not matter");
        assertEquals(2, d.unchanged().size());
    }

    @Test
    void aNestedSectionIsComparedByItsFieldsNotByIdentity() {
        net.dnsoops.input.verify.VerifyConfig a = new net.dnsoops.input.verify.VerifyConfig();
        net.dnsoops.input.verify.VerifyConfig b = new net.dnsoops.input.verify.VerifyConfig();
        a.trustAnchor = new net.dnsoops.input.verify.TrustAnchorConfig();
        b.trustAnchor = new net.dnsoops.input.verify.TrustAnchorConfig();
        a.trustAnchor.parent = b.trustAnchor.parent = new InetSocketAddress(InetAddress.getLoopbackAddress(), 53);
        assertTrue(ConfigDiff.sameSettings(a, b), "read twice from one file: the same settings");
        b.trustAnchor.timeout = Duration.ofSeconds(9);
        assertFalse(ConfigDiff.sameSettings(a, b));
    }
}
