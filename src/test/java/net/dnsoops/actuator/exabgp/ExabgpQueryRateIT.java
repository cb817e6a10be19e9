package net.dnsoops.actuator.exabgp;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import net.dnsoops.testsupport.BirdLab;
import net.dnsoops.testsupport.DnsOopsProcess;
import net.dnsoops.testsupport.DnsServer;
import net.dnsoops.testsupport.Eventually;
import net.dnsoops.testsupport.ExabgpLab;
import net.dnsoops.testsupport.FreePorts;
import net.dnsoops.testsupport.ManagedProcess;
import net.dnsoops.testsupport.QueryLoad;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * query-rate-high mapped to route attributes through a real ExaBGP 4.2 (pipe mode) to a real
 * edge BIRD, asserted at the upstream BIRD: a real NSD under a bounded loopback query load (about
 * 1,000 queries/s, at most 12,000 queries in at most 12 s) makes the route carry the extra
 * community and AS path; after the load it is re-announced without them, and never withdrawn.
 */
@Timeout(120)
class ExabgpQueryRateIT {
    static final String V4 = "198.51.100.7/32";
    static final String V6 = "2001:db8:53::7/128";

    @TempDir
    Path tmp;
    BirdLab lab;
    ManagedProcess exabgp;
    DnsServer nsd;
    DnsOopsProcess oops;

    @AfterEach
    void stop() throws Exception {
        if (oops != null) {
            oops.close();
            System.err.println("---- dns-oops log ----\n" + oops.log());
        }
        if (exabgp != null) {
            exabgp.close();
            System.err.println("---- exabgp log ----\n" + exabgp.logText());
        }
        if (nsd != null) nsd.close();
        if (lab != null) lab.close();
    }

    @Test
    void aBusyServerIsAnnouncedWithTheAsPathAndCommunityUntilItsLoadStops() throws Exception {
        ExabgpLab exa = new ExabgpLab(tmp.resolve("exabgp"));
        lab = new BirdLab(tmp.resolve("bird"), exa.port).start();
        exabgp = exa.start(exa.writeConfig(lab, List.of()), true);
        ExabgpLab.awaitEstablished(lab);

        Path dir = tmp.resolve("t"); // short: NSD's control socket lives below (107-byte limit)
        int oopsPort = FreePorts.on("127.0.0.1");
        nsd = new DnsServer(DnsServer.Kind.NSD, dir, oopsPort, DnsServer.Timers.DEFAULT, "svc.test.");
        nsd.start();
        oops = DnsOopsProcess.start(dir, """
                {
                  "listen": ["127.0.0.1@%1$d"],
                  "control-socket": "%2$s/control.sock",
                  "drain-file": "%2$s/drained",
                  "zones": { "svc.test.": { "primaries": ["%3$s"], "last-octet": 7 } },
                  "stats": [ { "server": "nsd", "name": "local-nsd", "control": "%4$s",
                               "interval": "1s", "rate-high": 300 } ],
                  "services": {
                    "dns": {
                      "zones": ["svc.test."],
                      "prefixes": ["198.51.100.{last-octet}/32", "2001:db8:53::{last-octet}/128"],
                      "up": { "communities": ["65000:100"] },
                      "query-rate-high": { "communities": ["65000:777"], "as-path-prepend": [65002, 65002] }
                    }
                  },
                  "exabgp": { "mode": "pipe", "pipe": "%5$s", "next-hop-v6": "2001:db8::2", "local-as": 65002,
                              "timeout": "2s", "neighbors": ["127.0.0.1"] }
                }
                """.formatted(oopsPort, dir, nsd.primary(), nsd.statsControl(), exa.pipe()));

        lab.awaitUpstream(V4, true, Duration.ofSeconds(30));
        String quiet = lab.upstreamRouteAll(V4);
        assertTrue(quiet.contains("(65000,100)"), quiet);
        assertFalse(quiet.contains("(65000,777)") || quiet.contains("65002 65002"), "no load, no extras: " + quiet);

        try (QueryLoad load = QueryLoad.start(nsd.address(), "svc.test.", 12_000, Duration.ofSeconds(12), 1000)) {
            Eventually.until("query-rate-high's community at the upstream", Duration.ofSeconds(10),
                    () -> lab.upstreamRouteAll(V4).contains("(65000,777)"));
            String busy = lab.upstreamRouteAll(V4);
            assertTrue(busy.contains("(65000,100)"), "added to the up attributes: " + busy);
            assertTrue(busy.contains("65001 65002 65002 65002"), "edge, ExaBGP's AS and two prepends: " + busy);
            Eventually.until("IPv6 route too", Duration.ofSeconds(5),
                    () -> lab.upstreamRouteAll(V6).contains("(65000,777)"));
            System.err.println("busy: " + load.stop() + " queries sent");
        }

        Eventually.until("extras gone after the load", Duration.ofSeconds(10),
                () -> !lab.upstreamRouteAll(V4).contains("(65000,777)"));
        String after = lab.upstreamRouteAll(V4);
        assertTrue(lab.upstreamHas(V4), "still announced: " + after);
        assertTrue(after.contains("(65000,100)") && !after.contains("65002 65002"), after);
    }
}
