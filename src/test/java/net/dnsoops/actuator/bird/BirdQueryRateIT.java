package net.dnsoops.actuator.bird;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import net.dnsoops.testsupport.BirdLab;
import net.dnsoops.testsupport.DnsOopsProcess;
import net.dnsoops.testsupport.DnsServer;
import net.dnsoops.testsupport.Eventually;
import net.dnsoops.testsupport.FreePorts;
import net.dnsoops.testsupport.QueryLoad;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * query-rate-high mapped to route attributes through a real edge BIRD: a real NSD under a bounded
 * loopback query load (about 1,000 queries/s, at most 12,000 queries in at most 12 s), read
 * through its own {@code nsd-control stats_noreset}; the upstream BIRD sees the service's route
 * with the extra community and the prepended AS path while the load lasts, and without them once
 * it stopped. The route stays announced throughout: a busy site is less attractive, not gone.
 */
@Timeout(90)
class BirdQueryRateIT {
    static final String V4 = "198.51.100.7/32";
    static final String V6 = "2001:db8:53::7/128";

    @TempDir
    Path tmp;
    BirdLab lab;
    DnsServer nsd;
    DnsOopsProcess oops;

    @AfterEach
    void stop() {
        if (oops != null) {
            oops.close();
            System.err.println("---- dns-oops log ----\n" + oops.log());
        }
        if (nsd != null) nsd.close();
        if (lab != null) lab.close();
    }

    @Test
    void aBusyServerIsAnnouncedWithThePrependAndCommunityUntilItsLoadStops() throws Exception {
        lab = new BirdLab(tmp.resolve("bird"), 0).start();
        Path dir = tmp.resolve("t"); // short: NSD's control socket lives below (107-byte limit)
        int oopsPort = FreePorts.on("127.0.0.1");
        nsd = new DnsServer(DnsServer.Kind.NSD, dir, oopsPort, DnsServer.Timers.DEFAULT, "svc.test.");
        nsd.start();
        oops = DnsOopsProcess.start(dir, """
                {
                  "listen": ["127.0.0.1@%1$d"],
                  "control-socket": "%2$s/control.sock",
                  "drain-file": "%2$s/drained",
                  "http": { "listen": ["127.0.0.1@%8$d"], "allow-unauthenticated-loopback": true },
                  "zones": { "svc.test.": { "primaries": ["%3$s"], "last-octet": 7 } },
                  "stats": [ { "server": "nsd", "name": "local-nsd", "control": "%4$s",
                               "interval": "1s", "rate-high": 300 } ],
                  "services": {
                    "dns": {
                      "zones": ["svc.test."],
                      "prefixes": ["198.51.100.{last-octet}/32", "2001:db8:53::{last-octet}/128"],
                      "up": { "communities": ["65000:100"] },
                      "query-rate-high": { "communities": ["65000:777"], "as-path-prepend": [65001, 65001] },
                      "query-rate-servers": ["local-nsd"]
                    }
                  },
                  "bird": { "socket": "%5$s", "ipv4-file": "%6$s", "ipv6-file": "%7$s", "timeout": "2s" }
                }
                """.formatted(oopsPort, dir, nsd.primary(), nsd.statsControl(), lab.edgeSocket, lab.routes4,
                lab.routes6, FreePorts.on("127.0.0.1")));

        lab.awaitUpstream(V4, true, Duration.ofSeconds(20));
        String quiet = lab.upstreamRouteAll(V4);
        assertTrue(quiet.contains("(65000,100)"), quiet);
        assertFalse(quiet.contains("(65000,777)") || quiet.contains("65001 65001"), "no load, no extras: " + quiet);

        try (QueryLoad load = QueryLoad.start(nsd.address(), "svc.test.", 12_000, Duration.ofSeconds(12), 1000)) {
            Eventually.until("query-rate-high's community at the upstream", Duration.ofSeconds(10),
                    () -> lab.upstreamRouteAll(V4).contains("(65000,777)"));
            String busy = lab.upstreamRouteAll(V4);
            assertTrue(busy.contains("(65000,100)"), "added to the up attributes: " + busy);
            assertTrue(busy.contains("65001 65001 65001"), "edge AS plus two prepends: " + busy);
            Eventually.until("IPv6 route too", Duration.ofSeconds(5),
                    () -> lab.upstreamRouteAll(V6).contains("(65000,777)"));
            String status = BirdActuatorIT.control(dir.resolve("dns-oops.json"), "status", "--json");
            assertTrue(status.contains("prefixes announced (query-rate-high: local-nsd)"), "status says why: " + status);
            System.err.println("busy: " + load.stop() + " queries sent");
        }

        Eventually.until("extras gone after the load", Duration.ofSeconds(10),
                () -> !lab.upstreamRouteAll(V4).contains("(65000,777)"));
        String after = lab.upstreamRouteAll(V4);
        assertTrue(lab.upstreamHas(V4), "still announced: " + after);
        assertTrue(after.contains("(65000,100)") && !after.contains("65001 65001"), after);
        assertTrue(oops.log().contains("query-rate-high"), oops.log());
    }
}
