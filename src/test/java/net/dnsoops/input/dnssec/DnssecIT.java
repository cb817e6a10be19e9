package net.dnsoops.input.dnssec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.dnsoops.core.Condition;
import net.dnsoops.core.ConditionType;
import net.dnsoops.daemon.Daemon;
import net.dnsoops.testsupport.ConditionRecorder;
import net.dnsoops.testsupport.DnsServer;
import net.dnsoops.testsupport.Eventually;
import net.dnsoops.testsupport.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Zones signed by BIND's dnssec-signzone with short-lived signatures, served by a real NSD:
 * signatures that expire within the warning period raise dnssec-expiring (with owner, type and
 * time left), and signatures that run out raise dnssec-expired.
 */
class DnssecIT {
    @TempDir
    Path dir;

    @Test
    void shortLivedSignaturesRaiseDnssecExpiringThenExpired() throws Exception {
        int notifyPort = FreePorts.next();
        DnsServer nsd = new DnsServer(DnsServer.Kind.NSD, dir, notifyPort, DnsServer.Timers.DEFAULT,
                "hour.test.", "short.test.");
        try (nsd) {
            sign(nsd, "hour.test.", "now+3600");
            sign(nsd, "short.test.", "now+10");
            nsd.start();
            String json = "{ \"listen\": [\"127.0.0.1@" + notifyPort + "\"],"
                    + " \"zones\": { \"hour.test.\": { \"primaries\": [\"" + nsd.primary() + "\"] },"
                    + "              \"short.test.\": { \"primaries\": [\"" + nsd.primary() + "\"] } },"
                    + " \"dnssec\": [ { \"name\": \"nsd\", \"address\": \"" + nsd.primary() + "\","
                    + "   \"zones\": [\"hour.test.\", \"short.test.\"], \"warning\": \"2h\", \"interval\": \"500ms\" } ] }";
            ConditionRecorder rec = new ConditionRecorder();
            try (Daemon d = ConditionRecorder.start(dir.resolve("dns-oops"), json, rec)) {
                // hour.test.: SOA and DNSKEY RRSIGs expire in an hour, inside the 2 h warning.
                Eventually.await(Duration.ofSeconds(10), "dnssec-expiring for hour.test. SOA and DNSKEY",
                        () -> rec.count(c -> c.type() == ConditionType.DNSSEC_EXPIRING && c.raised()
                                && "hour.test.".equals(c.zone())) == 2, rec::dump);
                Condition soa = rec.first(c -> c.type() == ConditionType.DNSSEC_EXPIRING && "hour.test.".equals(c.zone())
                        && "SOA".equals(c.fields().get("type"))).orElseThrow(() -> new AssertionError(rec.dump()));
                assertEquals("hour.test.", soa.fields().get("owner"));
                assertEquals("nsd", soa.source());
                long left = Long.parseLong(soa.fields().get("time-left"));
                assertTrue(left > 3000 && left <= 3600, "time-left " + left);
                assertTrue(rec.first(c -> c.type() == ConditionType.DNSSEC_EXPIRING && "hour.test.".equals(c.zone())
                        && "DNSKEY".equals(c.fields().get("type"))).isPresent(), rec.dump());

                // short.test.: expiring at once (10 s < 2 h), then expired once the 10 s have passed.
                Eventually.await(Duration.ofSeconds(25), "dnssec-expired for short.test.",
                        () -> rec.count(c -> c.type() == ConditionType.DNSSEC_EXPIRED && c.raised()
                                && "short.test.".equals(c.zone())) == 2, rec::dump);
                assertEquals(2, rec.count(c -> c.type() == ConditionType.DNSSEC_EXPIRING && !c.raised()
                        && "short.test.".equals(c.zone())), "expiring cleared when expired\n" + rec.dump());
                assertEquals(0, rec.count(c -> c.type() == ConditionType.DNSSEC_EXPIRED && "hour.test.".equals(c.zone())),
                        rec.dump());
            }
        }
    }

    /** Signs the server's zone file in place with a fresh ECDSA key; signatures valid until {@code end}. */
    static void sign(DnsServer server, String zone, String end) throws IOException, InterruptedException {
        Path file = server.zoneFile(zone);
        Path keys = Files.createDirectories(server.base().resolve("keys-" + zone));
        Path unsigned = server.base().resolve(zone + "unsigned");
        Files.move(file, unsigned);
        run(keys, "dnssec-keygen", "-q", "-a", "ECDSAP256SHA256", "-K", keys.toString(), zone);
        // -z: one key signs everything (no separate KSK); -j 0: no jitter, so the end time is exact.
        run(keys, "dnssec-signzone", "-q", "-S", "-z", "-j", "0", "-K", keys.toString(), "-s", "now-60", "-e", end,
                "-o", zone, "-f", file.toString(), unsigned.toString());
    }

    static void run(Path dir, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(cmd)).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("sign.log").toFile()).start();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + " failed: " + Files.readString(dir.resolve("sign.log")));
        }
    }
}
