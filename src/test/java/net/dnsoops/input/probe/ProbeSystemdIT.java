package net.dnsoops.input.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import net.dnsoops.core.Condition;
import net.dnsoops.core.ConditionType;
import net.dnsoops.daemon.Daemon;
import net.dnsoops.testsupport.ConditionRecorder;
import net.dnsoops.testsupport.DnsClient;
import net.dnsoops.testsupport.DnsServer;
import net.dnsoops.testsupport.Eventually;
import net.dnsoops.testsupport.FreePorts;
import net.dnsoops.testsupport.PrivateSystemd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The probe's "systemd-unit" against a real systemd manager ({@link PrivateSystemd}: Debian's
 * systemd in its own PID namespace, on a private system bus) running a real NSD as
 * {@code nsd.service}. The unit's ExecStop waits 4 s before NSD is told to stop, so the unit is
 * "deactivating" while NSD still answers: the probe says server-down then, from the unit's
 * state alone, and server-up once the unit is active again.
 */
class ProbeSystemdIT {
    @TempDir
    Path dir;

    @Test
    void aDeactivatingUnitIsDownAlthoughItsPortStillAnswersAndUpWhenActiveAgain() throws Exception {
        PrivateSystemd.assumeAvailable();
        int notifyPort = FreePorts.next();
        DnsServer nsd = new DnsServer(DnsServer.Kind.NSD, dir, notifyPort, DnsServer.Timers.DEFAULT, "nsd.test.");
        String unit = """
                [Unit]
                Description=NSD for dns-oops's probe test
                # This manager has no sysinit.target or basic.target: only the test's units.
                DefaultDependencies=no
                [Service]
                ExecStart=/usr/sbin/nsd -d -c %s
                ExecStop=/bin/sleep 4
                """.formatted(nsd.base().resolve("nsd.conf"));
        try (PrivateSystemd systemd = PrivateSystemd.start(dir.resolve("systemd"), Map.of("nsd.service", unit))) {
            systemd.startUnit("nsd.service");
            Eventually.await(Duration.ofSeconds(15), "NSD started by systemd answering",
                    () -> DnsClient.soaSerial(nsd.address(), "nsd.test.") == 2024010101L, nsd::logTail);

            String json = "{ \"listen\": [\"127.0.0.1@" + notifyPort + "\"],"
                    + " \"control-socket\": \"" + dir.resolve("control.sock") + "\", \"drain-file\": \"" + dir.resolve("drained") + "\","
                    + " \"zones\": { \"nsd.test.\": { \"primaries\": [\"" + nsd.primary() + "\"], \"group\": \"anycast\" } },"
                    + " \"probe\": [ { \"name\": \"nsd\", \"address\": \"" + nsd.primary() + "\", \"zone\": \"nsd.test.\","
                    + " \"interval\": \"200ms\", \"timeout\": \"500ms\", \"rise\": 2, \"fall\": 3, \"services\": [\"anycast\"],"
                    + " \"systemd-unit\": \"nsd.service\", \"systemd-bus\": \"" + systemd.busAddress() + "\" } ] }";
            ConditionRecorder rec = new ConditionRecorder();
            try (Daemon d = ConditionRecorder.start(dir.resolve("dns-oops"), json, rec)) {
                Eventually.await(Duration.ofSeconds(15), "server-up with the unit active, service ready",
                        () -> rec.count("server-up", true) == 1 && rec.count("service-ready", true) == 1, rec::dump);
                Condition up = rec.first(c -> c.type() == ConditionType.SERVER_UP).orElseThrow();
                assertTrue(up.detail().contains("unit nsd.service active"), up.detail());

                systemd.stopUnit("nsd.service"); // ExecStop: 4 s of "deactivating" before NSD gets SIGTERM
                Eventually.await(Duration.ofSeconds(3), "server-down while the unit is deactivating",
                        () -> rec.count("server-down", true) == 1, () -> rec.dump() + "\n" + systemd.log());
                assertEquals("deactivating", systemd.activeState("nsd.service"), "still stopping");
                assertEquals(2024010101L, DnsClient.soaSerial(nsd.address(), "nsd.test."),
                        "NSD still answers: the unit's state alone said down");
                Condition down = rec.first(c -> c.type() == ConditionType.SERVER_DOWN).orElseThrow();
                assertTrue(down.detail().contains("unit nsd.service is deactivating"), down.detail());
                Eventually.await(Duration.ofSeconds(2), "service not ready",
                        () -> rec.count("service-not-ready", true) == 1, rec::dump);

                Eventually.await(Duration.ofSeconds(15), "the unit stopped",
                        () -> state(systemd).equals("inactive"), systemd::log);
                systemd.startUnit("nsd.service");
                Eventually.await(Duration.ofSeconds(15), "server-up with the unit active again, service ready",
                        () -> rec.count("server-up", true) == 2 && rec.count("service-ready", true) == 2, rec::dump);
            }
        }
    }

    private static String state(PrivateSystemd systemd) {
        try {
            return systemd.activeState("nsd.service");
        } catch (java.io.IOException e) {
            return "unknown: " + e.getMessage();
        }
    }
}
