package net.dnsoops.input.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * NSEC and NSEC3 chains of zones signed by dnssec-signzone and served by a real Knot: complete
 * chains verify; a zone whose NSEC for ns.gap.test. (and its RRSIG) was removed after signing,
 * and an NSEC3 zone missing one NSEC3, raise zone-invalid naming the gap.
 */
class VerifyDenialIT {
    @TempDir
    Path dir;

    @Test
    void brokenNsecAndNsec3ChainsAreInvalidAndNameTheGap() throws Exception {
        int notifyPort = FreePorts.next();
        String[] zones = {"nsec.test.", "nsec3.test.", "gap.test.", "gap3.test."};
        DnsServer knot = new DnsServer(DnsServer.Kind.KNOT, dir, notifyPort, DnsServer.Timers.DEFAULT, zones);
        try (knot) {
            Path conf = knot.base().resolve("knot.conf");
            Files.writeString(conf, Files.readString(conf)
                    .replace("acl:\n", "acl:\n  - id: xfr\n    address: 127.0.0.1\n    action: transfer\n")
                    .replace("acl: signed-queries", "acl: [signed-queries, xfr]"));
            ZoneSigner.sign(knot, "nsec.test.", "now+86400", "-O", "full");
            ZoneSigner.sign(knot, "nsec3.test.", "now+86400", "-O", "full", "-3", "abcd");
            ZoneSigner.sign(knot, "gap.test.", "now+86400", "-O", "full");
            ZoneSigner.sign(knot, "gap3.test.", "now+86400", "-O", "full", "-3", "abcd");

            Path gap = knot.zoneFile("gap.test.");
            String signed = Files.readString(gap);
            String broken = signed.replaceAll("(?m)^ns\\.gap\\.test\\.\\s+\\d+\\s+IN\\s+(NSEC|RRSIG\\s+NSEC)\\s.*\\n", "");
            assertEquals(2, signed.lines().count() - broken.lines().count(), "the NSEC of ns.gap.test. and its RRSIG removed");
            Files.writeString(gap, broken);

            Path gap3 = knot.zoneFile("gap3.test.");
            String signed3 = Files.readString(gap3);
            Matcher m = Pattern.compile("(?m)^([0-9a-v]+)\\.gap3\\.test\\.\\s+\\d+\\s+IN\\s+NSEC3\\s", Pattern.CASE_INSENSITIVE)
                    .matcher(signed3);
            assertTrue(m.find(), signed3);
            String hash = m.group(1).toLowerCase(java.util.Locale.ROOT);
            String broken3 = signed3.replaceAll("(?mi)^" + hash + "\\.gap3\\.test\\..*\\n", "");
            assertEquals(2, signed3.lines().count() - broken3.lines().count(), "one NSEC3 and its RRSIG removed");
            Files.writeString(gap3, broken3);

            knot.startUnchecked();
            for (String z : zones) {
                Eventually.await(Duration.ofSeconds(15), "Knot serving " + z,
                        () -> DnsClient.soaSerial(knot.address(), z) == 2024010101L, knot::logTail);
            }
            String json = "{ \"listen\": [\"127.0.0.1@" + notifyPort + "\"],"
                    + " \"defaults\": { \"primaries\": [\"" + knot.primary() + "\"] },"
                    + " \"zones\": { \"nsec.test.\": {}, \"nsec3.test.\": {}, \"gap.test.\": {}, \"gap3.test.\": {} },"
                    + " \"verify\": [ { \"zones\": [\"nsec.test.\", \"nsec3.test.\", \"gap.test.\", \"gap3.test.\"] } ] }";
            ConditionRecorder rec = new ConditionRecorder();
            try (Daemon d = ConditionRecorder.start(dir.resolve("dns-oops"), json, rec)) {
                for (String z : new String[] {"nsec.test.", "nsec3.test."}) {
                    Eventually.await(Duration.ofSeconds(15), "zone-valid " + z, () -> rec.count(
                            c -> c.type() == ConditionType.ZONE_VALID && c.raised() && z.equals(c.zone())) == 1, rec::dump);
                }
                for (String z : new String[] {"gap.test.", "gap3.test."}) {
                    Eventually.await(Duration.ofSeconds(15), "zone-invalid " + z, () -> rec.count(
                            c -> c.type() == ConditionType.ZONE_INVALID && c.raised() && z.equals(c.zone())) == 1, rec::dump);
                }
                Condition g = rec.first(c -> c.type() == ConditionType.ZONE_INVALID && "gap.test.".equals(c.zone())).orElseThrow();
                assertTrue(g.detail().startsWith("NSEC chain gap: ns.gap.test. has no NSEC (gap.test. points to it)"), g.detail());
                Condition g3 = rec.first(c -> c.type() == ConditionType.ZONE_INVALID && "gap3.test.".equals(c.zone())).orElseThrow();
                assertTrue(g3.detail().startsWith("NSEC3 chain gap: ") && g3.detail().contains("(hash " + hash + ") has no NSEC3"),
                        g3.detail());
                assertEquals(0, rec.count(c -> c.type() == ConditionType.ZONE_INVALID
                        && (c.zone().equals("nsec.test.") || c.zone().equals("nsec3.test."))), rec.dump());
            }
        }
    }
}
