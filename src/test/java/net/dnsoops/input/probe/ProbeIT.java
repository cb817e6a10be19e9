package net.dnsoops.input.probe;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Server health against a real Knot, NSD and BIND: a crashed (SIGKILLed) server raises server-down within the
 * probe's fall time and makes its service not ready although the zone has not expired; a
 * restart raises server-up and the service is ready again. An NSD asked about a zone it does not
 * serve answers REFUSED with EDE 20, which raises "ede".
 *
 * <p>The core's side: service-not-ready / service-ready. The route withdrawn at a BIRD upstream
 * is {@link ProbeRouteIT}.
 */
class ProbeIT {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(DnsServer.Kind.class)
    void aCrashedServerMakesItsServiceNotReadyWithinTheFallTimeAndItsRestartMakesItReady(DnsServer.Kind kind)
            throws Exception {
        int notifyPort = FreePorts.next();
        try (DnsServer nsd = DnsServer.start(kind, dir, notifyPort, "nsd.test.")) {
            // interval 200 ms, timeout 200 ms, fall 3: down within 3 × (200 + 200) ms = 1.2 s of the crash.
            String json = "{ \"listen\": [\"127.0.0.1@" + notifyPort + "\"],"
                    + " \"zones\": { \"nsd.test.\": { \"primaries\": [\"" + nsd.primary() + "\"], \"group\": \"anycast\" } },"
                    + " \"probe\": [ { \"name\": \"" + kind.name().toLowerCase() + "\", \"address\": \"" + nsd.primary() + "\", \"zone\": \"nsd.test.\","
                    + " \"interval\": \"200ms\", \"timeout\": \"200ms\", \"rise\": 2, \"fall\": 3, \"services\": [\"anycast\"] } ] }";
            ConditionRecorder rec = new ConditionRecorder();
            try (Daemon d = ConditionRecorder.start(dir.resolve("dns-oops"), json, rec)) {
                Eventually.await(Duration.ofSeconds(10), "server-up and service-ready",
                        () -> rec.count("server-up", true) == 1 && rec.count("service-ready", true) == 1, rec::dump);
                Condition up = rec.first(c -> c.type() == ConditionType.SERVER_UP).orElseThrow();
                assertEquals(kind.name().toLowerCase(), up.source());

                long crashedAt = System.nanoTime();
                nsd.kill();
                Eventually.await(Duration.ofSeconds(5), "server-down", () -> rec.count("server-down", true) == 1, rec::dump);
                long tookMs = (System.nanoTime() - crashedAt) / 1_000_000;
                assertTrue(tookMs < 3000, "server-down " + tookMs + " ms after the crash; fall time is 1.2 s\n" + rec.dump());
                Eventually.await(Duration.ofSeconds(2), "service-not-ready",
                        () -> rec.count("service-not-ready", true) == 1 && rec.count("service-ready", false) == 1, rec::dump);
                Condition notReady = rec.first(c -> c.type() == ConditionType.SERVICE_NOT_READY).orElseThrow();
                assertEquals("anycast", notReady.service());
                assertTrue(notReady.detail().startsWith("server down: "), notReady.detail()); // the probe's name
                assertEquals(0, rec.count("zone-ready", false), "the zone itself has not expired\n" + rec.dump());

                nsd.start();
                Eventually.await(Duration.ofSeconds(10), "server-up after the restart",
                        () -> rec.count("server-up", true) == 2, rec::dump);
                Eventually.await(Duration.ofSeconds(2), "service ready again",
                        () -> rec.count("service-ready", true) == 2 && rec.count("service-not-ready", false) == 1, rec::dump);
            }
        }
    }

    @Test
    void anAnswerWithAnExtendedErrorRaisesEdeWithItsCode() throws Exception {
        int notifyPort = FreePorts.next();
        try (DnsServer nsd = DnsServer.start(DnsServer.Kind.NSD, dir, notifyPort, "nsd.test.")) {
            String json = "{ \"listen\": [\"127.0.0.1@" + notifyPort + "\"],"
                    + " \"zones\": { \"nsd.test.\": { \"primaries\": [\"" + nsd.primary() + "\"] } },"
                    + " \"probe\": [ { \"name\": \"nsd\", \"address\": \"" + nsd.primary() + "\", \"zone\": \"elsewhere.test.\","
                    + " \"interval\": \"200ms\", \"timeout\": \"500ms\", \"fall\": 1 } ] }";
            ConditionRecorder rec = new ConditionRecorder();
            try (Daemon d = ConditionRecorder.start(dir.resolve("dns-oops"), json, rec)) {
                Eventually.await(Duration.ofSeconds(10), "ede", () -> rec.count("ede", true) == 1, rec::dump);
                Condition ede = rec.first(c -> c.type() == ConditionType.EDE).orElseThrow();
                assertEquals("20", ede.fields().get("code"), rec.dump()); // Not Authoritative (NSD 4.6 on REFUSED)
                assertEquals("Not Authoritative", ede.fields().get("code-name"));
                assertEquals("nsd", ede.source());
                assertEquals("elsewhere.test.", ede.zone());
                Eventually.await(Duration.ofSeconds(5), "server-down (REFUSED)",
                        () -> rec.count("server-down", true) == 1, rec::dump);
                Eventually.sleep(600);
                assertEquals(1, rec.count("ede", true), "raised once, not per answer\n" + rec.dump());
            }
        }
    }
}
