package net.dnsoops.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import net.dnsoops.testsupport.DnsServer;
import net.dnsoops.testsupport.Eventually;
import net.dnsoops.testsupport.RunningDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Zone timers against a real primary with short SOA timers: stop it and the zone goes through
 * refresh-failed, expiring and expired (and its service with it); start it again and it recovers.
 */
class ZoneWatcherIT {
    @TempDir
    Path dir;

    @Test
    void aStoppedPrimaryExpiresTheZoneAndItsReturnRecoversIt() throws Exception {
        int port = RunningDaemon.choosePort();
        // REFRESH 1 s, RETRY 1 s, EXPIRE 6 s: warning at 3 s (half of EXPIRE), expired at 6 s.
        DnsServer bind = new DnsServer(DnsServer.Kind.BIND, dir, port, new DnsServer.Timers(1, 1, 6), "bind.test.");
        String body = "\"defaults\": { \"min-refresh\": \"1s\", \"min-retry\": \"1s\", \"min-expire\": \"1s\","
                + " \"jitter\": 0, \"soa-timeout\": \"300ms\", \"soa-tries\": 1, \"refresh-failures\": 2 },"
                + "\"zones\": { \"bind.test.\": { \"primaries\": [\"" + bind.primary() + "\"] } }";
        try (RunningDaemon d = RunningDaemon.start(dir.resolve("dns-oops"), port, body); bind) {
            bind.start();
            Eventually.await(Duration.ofSeconds(10), "ready", () -> d.count("service-ready:raised") == 1, d::dump);

            // The daemon may have started before BIND answered: count from here on.
            long notReadyBefore = d.count("service-not-ready:raised");
            bind.stop();
            for (String c : List.of("zone-refresh-failed:raised", "zone-expiring:raised", "zone-expired:raised",
                    "zone-ready:cleared")) {
                Eventually.await(Duration.ofSeconds(12), c, () -> d.count(c) == 1, d::dump);
            }
            Eventually.await(Duration.ofSeconds(5), "service-not-ready",
                    () -> d.count("service-not-ready:raised") == notReadyBefore + 1, d::dump);
            List<String> r = d.records();
            assertTrue(r.indexOf(line(r, "zone-refresh-failed:raised")) < r.indexOf(line(r, "zone-expiring:raised"))
                    && r.indexOf(line(r, "zone-expiring:raised")) < r.indexOf(line(r, "zone-expired:raised")), d.dump());
            assertTrue(line(r, "zone-expired:raised").startsWith("zone-expired:raised bind.test. 2024010101"), d.dump());

            bind.start();
            Eventually.await(Duration.ofSeconds(10), "zone-recovered after the primary came back",
                    () -> d.count("zone-recovered:raised") == 1, d::dump);
            Eventually.await(Duration.ofSeconds(5), "service ready again", () -> d.count("service-ready:raised") == 2, d::dump);
            Eventually.await(Duration.ofSeconds(5), "zone-ready again", () -> d.count("zone-ready:raised") == 2, d::dump);
        }
    }

    private static String line(List<String> records, String prefix) {
        return records.stream().filter(l -> l.startsWith(prefix)).findFirst().orElse("missing " + prefix);
    }
}
