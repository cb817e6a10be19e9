package net.dnsoops.actuator.bird;

import net.dnsoops.testsupport.Eventually;
import net.dnsoops.testsupport.FreePorts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import net.dnsoops.testsupport.BirdLab;
import net.dnsoops.testsupport.DnsOopsProcess;
import net.dnsoops.testsupport.DnsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * dns-oops driving a real edge BIRD through its control socket, with a real NSD primary; every
 * assertion is on the upstream BIRD, i.e. what the network sees.
 */
@Timeout(90)
class BirdActuatorIT {
    static final String V4 = "198.51.100.7/32";
    static final String V6 = "2001:db8:53::7/128";

    @TempDir
    static Path tmp;
    static BirdLab lab;
    static DnsServer nsd;
    static int oopsPort;
    DnsOopsProcess oops;
    Path dir;

    @BeforeAll
    static void lab() {
        lab = new BirdLab(tmp.resolve("bird"), 0).start();
    }

    @AfterAll
    static void stopLab() {
        if (lab != null) lab.close();
    }

    static int testNumber;

    @BeforeEach
    void primary(TestInfo info) throws Exception {
        // short: NSD's control socket lives below, and unix socket paths are cut at 107 bytes
        dir = tmp.resolve("t" + (++testNumber));
        System.err.println(info.getDisplayName() + " in " + dir);
        oopsPort = FreePorts.on("127.0.0.1");
        // SOA refresh 1 s, retry 1 s, expire 4 s: a stopped primary degrades the route after ~1 s
        // and withdraws it after 4 s.
        nsd = new DnsServer(DnsServer.Kind.NSD, dir, oopsPort, new DnsServer.Timers(1, 1, 4), "svc.test.");
        nsd.start();
    }

    @AfterEach
    void stop() {
        if (oops != null) {
            oops.close();
            System.err.println("---- dns-oops log ----\n" + oops.log());
        }
        nsd.close();
    }

    static String config(Path dir, String primary) {
        return """
                {
                  "listen": ["127.0.0.1@%1$d"],
                  "control-socket": "%2$s/control.sock",
                  "http": { "listen": ["127.0.0.1@%7$d"], "allow-unauthenticated-loopback": true },
                  "drain-file": "%2$s/drained",
                  "defaults": { "min-refresh": "1s", "min-retry": "500ms", "min-expire": "1s",
                                "initial-retry": "500ms", "soa-timeout": "300ms", "soa-tries": 1,
                                "refresh-failures": 1, "jitter": 0 },
                  "zones": {
                    "svc.test.": { "primaries": ["%3$s"], "last-octet": 7, "group": "dns" }
                  },
                  "services": {
                    "dns": {
                      "group": "dns",
                      "prefixes": ["198.51.100.{last-octet}/32", "2001:db8:53::{last-octet}/128"],
                      "up": { "communities": ["65000:100"] },
                      "degraded": { "communities": ["65000:666"], "as-path-prepend": [65001, 65001] }
                    }
                  },
                  "bird": { "socket": "%4$s", "ipv4-file": "%5$s", "ipv6-file": "%6$s",
                            "timeout": "2s", "resync": "1s" }
                }
                """.formatted(oopsPort, dir, primary, lab.edgeSocket, lab.routes4, lab.routes6, FreePorts.on("127.0.0.1"));
    }

    void startOops() {
        oops = DnsOopsProcess.start(dir, config(dir, nsd.primary()));
    }

    @Test
    void announcesWhileZonesServeDegradesThenWithdrawsOnExpiryAndComesBack() throws Exception {
        startOops();
        lab.awaitUpstream(V4, true, Duration.ofSeconds(20));
        lab.awaitUpstream(V6, true, Duration.ofSeconds(5));
        assertTrue(lab.upstreamRouteAll(V4).contains("(65000,100)"), lab.upstreamRouteAll(V4));

        nsd.stop(); // refresh fails after ~1 s: soft state, announced with de-preferred attributes
        net.dnsoops.testsupport.Eventually.until("degraded attributes at upstream", Duration.ofSeconds(10),
                () -> lab.upstreamRouteAll(V4).contains("(65000,666)"));
        assertTrue(lab.upstreamRouteAll(V4).contains("65001 65001 65001"), lab.upstreamRouteAll(V4));

        lab.awaitUpstream(V4, false, Duration.ofSeconds(10)); // SOA EXPIRE 4 s: withdrawn
        lab.awaitUpstream(V6, false, Duration.ofSeconds(5));

        nsd.start(); // primary back: verified again, re-announced with the "up" attributes
        lab.awaitUpstream(V4, true, Duration.ofSeconds(10));
        lab.awaitUpstream(V6, true, Duration.ofSeconds(5));
        net.dnsoops.testsupport.Eventually.until("up attributes again", Duration.ofSeconds(5),
                () -> lab.upstreamRouteAll(V4).contains("(65000,100)"));
    }

    @Test
    void restoresRoutesAfterBirdRestarts() throws Exception {
        startOops();
        lab.awaitUpstream(V4, true, Duration.ofSeconds(20));
        lab.stopEdge();
        Files.writeString(lab.routes4, ""); // BIRD comes back with nothing: dns-oops must repair it
        lab.startEdge();
        lab.awaitUpstream(V4, true, Duration.ofSeconds(10));
        assertTrue(oops.process().alive());
    }

    @Test
    void withdrawsEverythingOnSigtermBeforeExiting() throws Exception {
        startOops();
        lab.awaitUpstream(V4, true, Duration.ofSeconds(20));
        assertTrue(oops.terminate(Duration.ofSeconds(20)), "dns-oops did not exit on SIGTERM");
        // Confirmed at the edge before exit: the edge's static protocol is already empty...
        assertTrue(BirdLab.command(lab.edgeSocket, "show route protocol dns_oops4").routePrefixes().isEmpty());
        // ...and the upstream follows within BGP propagation time.
        long ms = lab.awaitUpstream(V4, false, Duration.ofSeconds(2));
        assertTrue(oops.log().contains("every route withdrawn and confirmed"), oops.log());
        System.err.println("upstream lost the route " + ms + " ms after dns-oops exited");
    }

    @Test
    void sigkillLeavesRoutesAndARestartDoesNotFlapThem() {
        startOops();
        lab.awaitUpstream(V4, true, Duration.ofSeconds(20));
        oops.kill();
        // Documented (docs/bird.md): BIRD keeps what the include file says; nobody withdraws.
        sleep(1500);
        assertTrue(lab.upstreamHas(V4));
        // A new dns-oops waits for its first verification round before touching BIRD: no flap.
        startOops();
        long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < end) {
            assertTrue(lab.upstreamHas(V4), "route flapped while dns-oops restarted");
            sleep(20);
        }
        assertFalse(oops.log().contains("announced nothing"), oops.log());
    }

    @Test
    void configReloadKeepsTheRoutesWithoutAFlap() throws Exception {
        startOops();
        lab.awaitUpstream(V4, true, Duration.ofSeconds(20));
        Process hup = new ProcessBuilder("kill", "-HUP", Long.toString(oops.process().pid())).start();
        assertTrue(hup.waitFor(5, java.util.concurrent.TimeUnit.SECONDS) && hup.exitValue() == 0);
        long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (System.nanoTime() < end) {
            assertTrue(lab.upstreamHas(V4), "route flapped on SIGHUP");
            sleep(10);
        }
        assertTrue(oops.log().contains("reloaded"), oops.log());
    }

    @Test
    void drainWithdrawsAndHoldsUntilUndrain() throws Exception {
        startOops();
        lab.awaitUpstream(V4, true, Duration.ofSeconds(20));
        Path conf = dir.resolve("dns-oops.json");
        // --wait returns once the actuator confirmed the withdrawal at the edge BIRD (as a name
        // server's ExecStop would use it); the upstream hears it a BGP update later.
        assertEquals("ok drained\nok every route withdrawn", control(conf, "drain", "--wait", "--timeout", "10s"));
        long ms = lab.awaitUpstream(V4, false, Duration.ofSeconds(1));
        System.err.println("drain -> gone at upstream in " + ms + " ms");
        sleep(2500); // zones keep refreshing fine; the drain must hold
        assertFalse(lab.upstreamHas(V4));
        String status = control(conf, "status", "--json"); // the HTTP API shows the actuator's health
        assertTrue(status.contains("0 prefixes announced (drained)"), status);
        assertEquals("ok undrained", control(conf, "undrain"));
        lab.awaitUpstream(V4, true, Duration.ofSeconds(5));
    }

    /** Runs "dns-oops drain|undrain|status -c conf" as an operator would; returns its output line. */
    static String control(Path conf, String... command) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of(command));
        args.addAll(List.of("-c", conf.toString()));
        Process p = new ProcessBuilder(DnsOopsProcess.argv(args.toArray(String[]::new)))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        assertTrue(p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS));
        return out;
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
