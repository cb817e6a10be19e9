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
 * Zone verification against a real Knot that allows AXFR: a ZONEMD that Knot generated
 * ({@code zonemd-generate}) verifies, a ZONEMD with a wrong digest raises zone-invalid, a zone
 * signed by dnssec-signzone verifies, and the same zone with a record changed after signing
 * raises zone-invalid. With require-valid, only the services of valid zones are ready; a new
 * serial is verified again (the broken zone, fixed, becomes valid and its service ready).
 */
class VerifyIT {
    @TempDir
    Path dir;

    @Test
    void zonemdAndDnssecAreCheckedOnEveryNewSerial() throws Exception {
        int notifyPort = FreePorts.next();
        DnsServer knot = new DnsServer(DnsServer.Kind.KNOT, dir, notifyPort, DnsServer.Timers.DEFAULT,
                "good.test.", "bad.test.", "signed.test.", "forged.test.");
        try (knot) {
            Path conf = knot.base().resolve("knot.conf");
            String text = Files.readString(conf)
                    .replace("acl:\n", "acl:\n  - id: xfr\n    address: 127.0.0.1\n    action: transfer\n")
                    .replace("acl: signed-queries", "acl: [signed-queries, xfr]")
                    .replace("  - domain: good.test.\n    notify: dns-oops\n    acl: [signed-queries, xfr]",
                            "  - domain: good.test.\n    notify: dns-oops\n    acl: [signed-queries, xfr]\n"
                                    + "    zonemd-generate: zonemd-sha384");
            assertTrue(text.contains("zonemd-generate"), text);
            Files.writeString(conf, text);
            // A ZONEMD for the right serial with a digest that cannot match.
            Files.writeString(knot.zoneFile("bad.test."), Files.readString(knot.zoneFile("bad.test."))
                    + "@ 60 ZONEMD 2024010101 1 1 " + "00".repeat(48) + "\n");
            ZoneSigner.sign(knot, "signed.test.", "now+86400");
            ZoneSigner.sign(knot, "forged.test.", "now+86400");
            Path forged = knot.zoneFile("forged.test.");
            String signed = Files.readString(forged);
            assertTrue(signed.contains("127.0.0.1"), signed);
            // Change www's address after signing: its RRSIG no longer verifies.
            Files.writeString(forged, signed.replaceFirst("(?m)^(www\\.forged\\.test\\.\\s+\\d+\\s+IN\\s+A\\s+)127\\.0\\.0\\.1",
                    "$1127.0.0.2"));
            assertTrue(Files.readString(forged).contains("127.0.0.2"), "the fixture changed www's address");
            // Knot bumps the serial of a zone it adds a ZONEMD to (good.test. is served as 2024010102).
            knot.startUnchecked();
            Eventually.await(Duration.ofSeconds(15), "Knot serving good.test.",
                    () -> DnsClient.soaSerial(knot.address(), "good.test.") == 2024010102L, knot::logTail);

            String zones = "\"good.test.\": { \"group\": \"g\" }, \"bad.test.\": { \"group\": \"b\" },"
                    + " \"signed.test.\": { \"group\": \"s\" }, \"forged.test.\": { \"group\": \"f\" }";
            String json = "{ \"listen\": [\"127.0.0.1@" + notifyPort + "\"],"
                    + " \"defaults\": { \"primaries\": [\"" + knot.primary() + "\"] },"
                    + " \"zones\": { " + zones + " },"
                    // "required" for the ZONEMD zones: good.test. is valid only if Knot's ZONEMD is there and matches.
                    + " \"verify\": [ { \"zones\": [\"good.test.\"], \"zonemd\": \"required\", \"require-valid\": true },"
                    + "   { \"zones\": [\"bad.test.\", \"signed.test.\", \"forged.test.\"], \"require-valid\": true } ] }";
            ConditionRecorder rec = new ConditionRecorder();
            try (Daemon d = ConditionRecorder.start(dir.resolve("dns-oops"), json, rec)) {
                for (String z : new String[] {"good.test.", "signed.test."}) {
                    Eventually.await(Duration.ofSeconds(15), "zone-valid " + z, () -> rec.count(
                            c -> c.type() == ConditionType.ZONE_VALID && c.raised() && z.equals(c.zone())) == 1, rec::dump);
                }
                for (String z : new String[] {"bad.test.", "forged.test."}) {
                    Eventually.await(Duration.ofSeconds(15), "zone-invalid " + z, () -> rec.count(
                            c -> c.type() == ConditionType.ZONE_INVALID && c.raised() && z.equals(c.zone())) == 1, rec::dump);
                }
                Condition bad = rec.first(c -> c.type() == ConditionType.ZONE_INVALID && "bad.test.".equals(c.zone()))
                        .orElseThrow();
                assertTrue(bad.detail().contains("ZONEMD digest"), bad.detail());
                Condition forgedC = rec.first(c -> c.type() == ConditionType.ZONE_INVALID && "forged.test.".equals(c.zone()))
                        .orElseThrow();
                assertTrue(forgedC.detail().contains("www.forged.test. A RRSIG"), forgedC.detail());

                Eventually.await(Duration.ofSeconds(5), "services g and s ready, b and f not",
                        () -> ready(rec, "g") && ready(rec, "s") && notReady(rec, "b") && notReady(rec, "f"), rec::dump);
                assertEquals(0, rec.count(c -> c.type() == ConditionType.SERVICE_READY && ("b".equals(c.service())
                        || "f".equals(c.service()))), "an invalid zone's service was never ready\n" + rec.dump());

                // A new serial is verified again: bad.test. without the broken ZONEMD becomes valid.
                knot.setSerial("bad.test.", 2024010102L);
                Eventually.await(Duration.ofSeconds(15), "bad.test. valid at its new serial",
                        () -> rec.count(c -> c.type() == ConditionType.ZONE_INVALID && !c.raised() && "bad.test.".equals(c.zone())) == 1
                                && rec.count(c -> c.type() == ConditionType.ZONE_VALID && c.raised() && "bad.test.".equals(c.zone())
                                        && c.serial() == 2024010102L) == 1, rec::dump);
                Eventually.await(Duration.ofSeconds(5), "service b ready", () -> ready(rec, "b"), rec::dump);
                assertEquals(0, rec.count(c -> c.type() == ConditionType.ZONE_INVALID && "good.test.".equals(c.zone())),
                        rec.dump());
            }
        }
    }

    private static boolean ready(ConditionRecorder rec, String service) {
        return rec.count(c -> c.type() == ConditionType.SERVICE_READY && c.raised() && service.equals(c.service())) == 1;
    }

    private static boolean notReady(ConditionRecorder rec, String service) {
        return rec.count(c -> c.type() == ConditionType.SERVICE_NOT_READY && c.raised() && service.equals(c.service())) == 1;
    }
}
