package net.dnsoops.actuator.exabgp;

import net.dnsoops.testsupport.Eventually;
import net.dnsoops.testsupport.FreePorts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import net.dnsoops.testsupport.BirdLab;
import net.dnsoops.testsupport.DnsOopsProcess;
import net.dnsoops.testsupport.ExabgpLab;
import net.dnsoops.testsupport.ManagedProcess;
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
 * dns-oops announcing through a real ExaBGP 4.2 to a real edge BIRD, asserted at the upstream
 * BIRD: ExaBGP → edge → upstream, with a real NSD primary.
 */
@Timeout(120)
class ExabgpActuatorIT {
    static final String V4 = "198.51.100.7/32";
    static final String V6 = "2001:db8:53::7/128";

    @TempDir
    static Path tmp;
    static ExabgpLab exa;
    static BirdLab lab;
    DnsServer nsd;
    int oopsPort;
    ManagedProcess exabgp;
    DnsOopsProcess oops;
    Path dir;

    @BeforeAll
    static void lab() {
        exa = new ExabgpLab(tmp.resolve("exabgp"));
        lab = new BirdLab(tmp.resolve("bird"), exa.port).start();
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
    void stop() throws Exception {
        if (oops != null) {
            oops.close();
            System.err.println("---- dns-oops log ----\n" + oops.log());
        }
        if (exabgp != null) {
            exabgp.close();
            System.err.println("---- exabgp log ----\n" + exabgp.logText());
        }
        nsd.close();
        Eventually.until("ExaBGP routes gone after the test", Duration.ofSeconds(10), () -> !lab.upstreamHas(V4));
    }

    String config(String exabgpSection) {
        return """
                {
                  "listen": ["127.0.0.1@%1$d"],
                  "control-socket": "%2$s/control.sock",
                  "drain-file": "%3$s/drained",
                  "defaults": { "min-refresh": "1s", "min-retry": "500ms", "min-expire": "1s",
                                "initial-retry": "500ms", "soa-timeout": "300ms", "soa-tries": 1,
                                "refresh-failures": 1, "jitter": 0 },
                  "zones": { "svc.test.": { "primaries": ["%4$s"], "last-octet": 7 } },
                  "services": {
                    "dns": {
                      "zones": ["svc.test."],
                      "prefixes": ["198.51.100.{last-octet}/32", "2001:db8:53::{last-octet}/128"],
                      "up": { "med": 100, "communities": ["65000:100"] },
                      "degraded": { "med": 1000, "communities": ["65000:666"], "as-path-prepend": [65002, 65002] }
                    }
                  },
                  "exabgp": %5$s
                }
                """.formatted(oopsPort, dir, dir, nsd.primary(), exabgpSection);
    }

    /** dns-oops as ExaBGP's API process, as in docs/exabgp.md. */
    ManagedProcess startExabgpWithOopsInside() {
        Path conf = DnsOopsProcess.writeConfig(dir, config("""
                { "mode": "process", "next-hop-v6": "2001:db8::2", "local-as": 65002, "timeout": "2s" }"""));
        Path exaConf = exa.writeConfig(lab, DnsOopsProcess.argv("run", "-c", conf.toString()));
        return exa.start(exaConf, false);
    }

    @Test
    void processModeAnnouncesWithdrawsOnExpiryDrainsAndSurvivesAnExabgpRestart() throws Exception {
        exabgp = startExabgpWithOopsInside();
        lab.awaitUpstream(V4, true, Duration.ofSeconds(30));
        lab.awaitUpstream(V6, true, Duration.ofSeconds(5));
        assertTrue(lab.upstreamRouteAll(V4).contains("(65000,100)"), lab.upstreamRouteAll(V4));

        nsd.stop(); // refresh failing: de-preferred; expired: withdrawn
        Eventually.until("degraded community", Duration.ofSeconds(10), () -> lab.upstreamRouteAll(V4).contains("(65000,666)"));
        assertTrue(lab.upstreamRouteAll(V4).contains("65001 65002 65002 65002"), lab.upstreamRouteAll(V4));
        lab.awaitUpstream(V4, false, Duration.ofSeconds(10));
        nsd.start();
        lab.awaitUpstream(V4, true, Duration.ofSeconds(10));

        Path conf = dir.resolve("dns-oops.json");
        assertEquals("ok drained", control(conf, "drain"));
        lab.awaitUpstream(V4, false, Duration.ofSeconds(5));
        assertEquals("ok undrained", control(conf, "undrain"));
        lab.awaitUpstream(V4, true, Duration.ofSeconds(5));

        // ExaBGP restart: its routes go with it; the new ExaBGP starts a new dns-oops, which
        // verifies the zone and announces again.
        exabgp.close();
        lab.awaitUpstream(V4, false, Duration.ofSeconds(5));
        exabgp = exa.start(dir.getParent().resolve("exabgp").resolve("exabgp.conf"), false);
        lab.awaitUpstream(V4, true, Duration.ofSeconds(30));
    }

    /**
     * An operator stops ExaBGP: it writes "shutdown" to dns-oops, then SIGTERMs it and waits. Its
     * routes go with its sessions, so dns-oops must not wait for withdrawals nobody will confirm.
     */
    @Test
    void processModeSigtermOfExabgpStopsBothPromptlyWithoutAnError() throws Exception {
        exabgp = startExabgpWithOopsInside();
        lab.awaitUpstream(V4, true, Duration.ofSeconds(30));
        ProcessHandle api = ExabgpLab.apiProcess(exabgp).orElseThrow();
        long start = System.nanoTime();
        assertTrue(exabgp.terminate(Duration.ofSeconds(15)), "ExaBGP exits");
        long ms = java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(api.onExit().get(5, java.util.concurrent.TimeUnit.SECONDS) != null);
        String log = exabgp.logText();
        assertTrue(ms < 2000, "ExaBGP took " + ms + " ms to stop:\n" + log);
        assertTrue(log.contains("dns-oops stopped"), "dns-oops' log reaches ExaBGP's:\n" + log);
        assertFalse(log.contains(" ERROR "), log);
        lab.awaitUpstream(V4, false, Duration.ofSeconds(5));
    }

    @Test
    void processModeSigkillOfDnsOopsKeepsRoutesAndTheRespawnedOneTakesOver() throws Exception {
        exabgp = startExabgpWithOopsInside();
        lab.awaitUpstream(V4, true, Duration.ofSeconds(30));
        ProcessHandle first = ExabgpLab.apiProcess(exabgp).orElseThrow();
        first.destroyForcibly();
        // Documented (docs/exabgp.md): ExaBGP keeps API routes when its process dies.
        Eventually.until("ExaBGP respawned dns-oops", Duration.ofSeconds(20), () -> ExabgpLab.apiProcess(exabgp)
                .filter(h -> h.pid() != first.pid()).isPresent());
        assertTrue(lab.upstreamHas(V4));
        // The new dns-oops takes over: expiry still withdraws.
        nsd.stop();
        lab.awaitUpstream(V4, false, Duration.ofSeconds(15));
    }

    @Test
    void pipeModeRestoresRoutesAfterExabgpRestartAndWithdrawsOnSigterm() {
        Path exaConf = exa.writeConfig(lab, List.of());
        exabgp = exa.start(exaConf, true);
        ExabgpLab.awaitEstablished(lab);
        oops = DnsOopsProcess.start(dir, config("""
                { "mode": "pipe", "pipe": "%s", "next-hop-v6": "2001:db8::2", "timeout": "2s", "resync": "1s",
                  "neighbors": ["127.0.0.1"] }"""
                .formatted(exa.pipe())));
        lab.awaitUpstream(V4, true, Duration.ofSeconds(30));
        lab.awaitUpstream(V6, true, Duration.ofSeconds(5));

        exabgp.close(); // a restarted ExaBGP knows nothing: dns-oops' resync puts the routes back
        lab.awaitUpstream(V4, false, Duration.ofSeconds(5));
        exabgp = exa.start(exaConf, true);
        lab.awaitUpstream(V4, true, Duration.ofSeconds(30));

        assertTrue(oops.terminate(Duration.ofSeconds(20)));
        assertTrue(oops.log().contains("every route withdrawn and confirmed"), oops.log());
        lab.awaitUpstream(V4, false, Duration.ofSeconds(2));
        oops = null;
    }

    @Test
    void pipeModeWithSuperviseWithdrawsEvenOnSigkill() {
        Path exaConf = exa.writeConfig(lab, List.of());
        exa.mkfifos();
        List<String> argv = new java.util.ArrayList<>(List.of("env"));
        exa.environment(true).forEach((k, v) -> argv.add(k + "=" + v));
        argv.addAll(exa.argv(exaConf));
        String supervise = argv.stream().map(a -> '"' + a + '"').collect(java.util.stream.Collectors.joining(", "));
        oops = DnsOopsProcess.start(dir, config("""
                { "mode": "pipe", "pipe": "%s", "next-hop-v6": "2001:db8::2", "timeout": "2s", "resync": "1s",
                  "supervise": [%s] }""".formatted(exa.pipe(), supervise)));
        lab.awaitUpstream(V4, true, Duration.ofSeconds(30));
        Optional<ProcessHandle> child = oops.process().process().descendants()
                .filter(h -> h.info().commandLine().orElse("").contains("exabgp")).findFirst();
        assertTrue(child.isPresent(), "supervised ExaBGP not found");
        oops.kill();
        long ms = lab.awaitUpstream(V4, false, Duration.ofSeconds(10));
        System.err.println("SIGKILL of dns-oops -> routes gone at upstream in " + ms + " ms");
        Eventually.until("supervised ExaBGP gone", Duration.ofSeconds(10), () -> !child.get().isAlive());
        oops = null;
    }

    static String control(Path conf, String command) throws Exception {
        Process p = new ProcessBuilder(DnsOopsProcess.argv(command, "-c", conf.toString()))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        assertTrue(p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS));
        return out;
    }
}
