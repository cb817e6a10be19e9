package net.dnsoops.input.probe;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import net.dnsoops.testsupport.BirdLab;
import net.dnsoops.testsupport.DnsOopsProcess;
import net.dnsoops.testsupport.DnsServer;
import net.dnsoops.testsupport.Eventually;
import net.dnsoops.testsupport.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The probe end to end through BGP: dns-oops (its packaged jar) drives a real BIRD edge that
 * peers with a BIRD upstream. A SIGKILLed NSD, whose zone is far from expiring, is withdrawn at
 * the upstream within the probe's fall time plus the route policy's; restarting NSD announces
 * it again.
 */
class ProbeRouteIT {
    static final String V4 = "198.51.100.9/32";

    @TempDir
    Path tmp;

    @Test
    void aCrashedServerIsWithdrawnAtTheUpstreamAndItsRestartAnnouncesAgain() throws Exception {
        Path dir = tmp.resolve("t"); // short: unix socket paths are cut at 107 bytes
        try (BirdLab lab = new BirdLab(tmp.resolve("bird"), 0).start()) {
            int oopsPort = FreePorts.on("127.0.0.1");
            DnsServer nsd = new DnsServer(DnsServer.Kind.NSD, dir, oopsPort, DnsServer.Timers.DEFAULT, "svc.test.");
            try (nsd) {
                nsd.start();
                String config = """
                        {
                          "listen": ["127.0.0.1@%1$d"],
                          "control-socket": "%2$s/control.sock",
                          "drain-file": "%2$s/drained",
                          "zones": { "svc.test.": { "primaries": ["%3$s"], "last-octet": 9, "group": "dns" } },
                          "services": { "dns": { "group": "dns", "prefixes": ["198.51.100.{last-octet}/32"] } },
                          "probe": [ { "name": "nsd", "address": "%3$s", "zone": "svc.test.",
                                       "interval": "200ms", "timeout": "200ms", "rise": 2, "fall": 3 } ],
                          "bird": { "socket": "%4$s", "ipv4-file": "%5$s", "ipv6-file": "%6$s",
                                    "timeout": "2s", "resync": "1s" }
                        }
                        """.formatted(oopsPort, dir, nsd.primary(), lab.edgeSocket, lab.routes4, lab.routes6);
                DnsOopsProcess oops = DnsOopsProcess.start(dir, config);
                try {
                    lab.awaitUpstream(V4, true, Duration.ofSeconds(20));
                    nsd.kill(); // SOA EXPIRE is a day away: only the probe can tell
                    lab.awaitUpstream(V4, false, Duration.ofSeconds(5));
                    // A reload builds new route actuators: seeded while the server is down, they
                    // must not announce (they did, until the core's server state was seeded too).
                    Process hup = new ProcessBuilder("kill", "-HUP", Long.toString(oops.process().pid())).start();
                    assertTrue(hup.waitFor(5, TimeUnit.SECONDS) && hup.exitValue() == 0, "kill -HUP");
                    Eventually.until("the reload done", Duration.ofSeconds(10), () -> oops.log().contains("reloaded "));
                    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
                    while (System.nanoTime() < end) {
                        assertFalse(lab.upstreamHas(V4), "announced after a reload while the name server is down");
                        Thread.sleep(100);
                    }
                    nsd.start();
                    lab.awaitUpstream(V4, true, Duration.ofSeconds(10));
                } finally {
                    oops.close();
                    System.err.println("---- dns-oops log ----\n" + oops.log());
                }
            }
        }
    }
}
