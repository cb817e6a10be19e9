package net.dnsoops.input.dnssec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import net.dnsoops.core.Condition;
import net.dnsoops.core.ConditionType;
import net.dnsoops.daemon.Daemon;
import net.dnsoops.testsupport.ConditionRecorder;
import net.dnsoops.testsupport.DnsServer;
import net.dnsoops.testsupport.Eventually;
import net.dnsoops.testsupport.FreePorts;
import net.dnsoops.testsupport.ZoneSigner;
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
            ZoneSigner.sign(nsd, "hour.test.", "now+3600");
            ZoneSigner.sign(nsd, "short.test.", "now+10");
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
}
