package net.dnsoops.input.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import net.dnsoops.core.Condition;
import net.dnsoops.core.ConditionType;
import net.dnsoops.daemon.Daemon;
import net.dnsoops.testsupport.ConditionRecorder;
import net.dnsoops.testsupport.DnsClient;
import net.dnsoops.testsupport.DnsServer;
import net.dnsoops.testsupport.Eventually;
import net.dnsoops.testsupport.FreePorts;
import net.dnsoops.testsupport.ZoneSigner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chain of trust against real servers: Knot serves three zones signed by dnssec-signzone; BIND
 * serves their parent parent.test., which delegates ok.parent.test. with the DS of its key and
 * bad.parent.test. with a DS of another key. With "trust-anchor": {"parent": BIND}, ok is valid
 * and bad is invalid; pinned.test. is valid against the DS line dnssec-signzone wrote for it.
 */
class VerifyTrustIT {
    @TempDir
    Path dir;

    @Test
    void theDnskeyRrsetMustMatchTheParentsOrAPinnedDs() throws Exception {
        int notifyPort = FreePorts.next();
        String[] zones = {"ok.parent.test.", "bad.parent.test.", "pinned.test."};
        DnsServer knot = new DnsServer(DnsServer.Kind.KNOT, dir, notifyPort, DnsServer.Timers.DEFAULT, zones);
        DnsServer bind = new DnsServer(DnsServer.Kind.BIND, dir, notifyPort, DnsServer.Timers.DEFAULT, "parent.test.");
        try (knot; bind) {
            Path conf = knot.base().resolve("knot.conf");
            Files.writeString(conf, Files.readString(conf)
                    .replace("acl:\n", "acl:\n  - id: xfr\n    address: 127.0.0.1\n    action: transfer\n")
                    .replace("acl: signed-queries", "acl: [signed-queries, xfr]"));
            for (String z : zones) ZoneSigner.sign(knot, z, "now+86400");
            String okDs = Files.readString(ZoneSigner.dsFile(knot, "ok.parent.test.")).strip();
            String pinnedDs = Files.readString(ZoneSigner.dsFile(knot, "pinned.test.")).strip();
            // bad.parent.test.'s DS at the parent is ok's digest: no key of bad.parent.test. matches it.
            String badDs = okDs.replace("ok.parent.test.", "bad.parent.test.");
            assertTrue(okDs.matches("ok\\.parent\\.test\\.\\s+IN\\s+DS\\s+\\d+ 13 2 .*"), okDs);
            Path parent = bind.zoneFile("parent.test.");
            Files.writeString(parent, Files.readString(parent) + "ok NS ns\n" + okDs + "\nbad NS ns\n" + badDs + "\n");
            knot.startUnchecked();
            bind.start();
            for (String z : zones) {
                Eventually.await(Duration.ofSeconds(15), "Knot serving " + z,
                        () -> DnsClient.soaSerial(knot.address(), z) == 2024010101L, knot::logTail);
            }
            String json = "{ \"listen\": [\"127.0.0.1@" + notifyPort + "\"],"
                    + " \"defaults\": { \"primaries\": [\"" + knot.primary() + "\"] },"
                    + " \"zones\": { \"ok.parent.test.\": {}, \"bad.parent.test.\": {}, \"pinned.test.\": {} },"
                    + " \"verify\": [ { \"zones\": [\"ok.parent.test.\", \"bad.parent.test.\"],"
                    + "     \"trust-anchor\": { \"parent\": \"" + bind.primary() + "\" } },"
                    + "   { \"zones\": [\"pinned.test.\"], \"trust-anchor\": { \"ds\": [\"" + pinnedDs.replace("\t", " ") + "\"] } } ] }";
            ConditionRecorder rec = new ConditionRecorder();
            try (Daemon d = ConditionRecorder.start(dir.resolve("dns-oops"), json, rec)) {
                for (String z : new String[] {"ok.parent.test.", "pinned.test."}) {
                    Eventually.await(Duration.ofSeconds(15), "zone-valid " + z, () -> rec.count(
                            c -> c.type() == ConditionType.ZONE_VALID && c.raised() && z.equals(c.zone())) == 1, rec::dump);
                }
                Eventually.await(Duration.ofSeconds(15), "zone-invalid bad.parent.test.", () -> rec.count(
                        c -> c.type() == ConditionType.ZONE_INVALID && c.raised() && "bad.parent.test.".equals(c.zone())) == 1, rec::dump);
                Condition bad = rec.first(c -> c.type() == ConditionType.ZONE_INVALID && "bad.parent.test.".equals(c.zone()))
                        .orElseThrow();
                assertTrue(bad.detail().startsWith("no DNSKEY of the zone matches a DS of the trust anchor"), bad.detail());
                assertEquals(0, rec.count(c -> c.type() == ConditionType.ZONE_INVALID && !"bad.parent.test.".equals(c.zone())),
                        rec.dump());
            }
        }
    }
}
