package net.dnsoops.input.knotdbus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.dnsoops.testsupport.FreePorts;
import net.dnsoops.testsupport.dbus.DnsOopsProcess;
import net.dnsoops.testsupport.dbus.KnotWithDbus;
import net.dnsoops.testsupport.dbus.PrivateBus;
import net.dnsoops.testsupport.dbus.Proc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The "knot-dbus" input against a real knotd with {@code dbus-event: [running, zone-updated]} on a
 * private bus. knotd does not notify dns-oops here: whatever dns-oops learns comes over D-Bus. The
 * result is shown by a command hook and by the native profile's signals.
 */
@Timeout(value = 120)
class KnotDbusListenerIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String ZONE = "knot.dbus.test.";

    @TempDir
    Path dir;
    private final List<AutoCloseable> started = new ArrayList<>();

    private <T extends AutoCloseable> T keep(T t) {
        started.add(0, t);
        return t;
    }

    @AfterEach
    void stopAll() throws Exception {
        for (AutoCloseable c : started) c.close();
    }

    /** A bus where this user may own cz.nic.knotd (for knotd, as Debian grants user knot) and net.dnsoops. */
    private PrivateBus bus() throws Exception {
        PrivateBus bus = keep(new PrivateBus(dir.resolve("bus")));
        bus.install("cz.nic.knotd-dns-oops.conf", PrivateBus.currentUser());
        bus.install("net.dnsoops.conf", PrivateBus.currentUser());
        return bus.start();
    }

    private static String config(int notifyPort, String primaries, boolean trust, Path hookLog) {
        return """
                { "listen": ["127.0.0.1@%d"],
                  "defaults": { "soa-timeout": "1s", "initial-retry": "1s" },
                  "zones": { "%s": { "primaries": [%s] } },
                  "knot-dbus": { "trust-serial": %s, "reconnect-interval": "500ms" },
                  "dbus": { "knot-profile": false, "signal-delay": "500ms" },
                  "hooks": [ { "on": ["zone-updated", "zone-ready"],
                               "command": ["/bin/sh", "-c", "echo \\"$0 $1 $2\\" >> '%s'", "{condition}", "{zone}", "{serial}"] } ] }
                """.formatted(notifyPort, ZONE, primaries, trust, hookLog);
    }

    private Proc nativeMonitor(PrivateBus bus) throws Exception {
        Proc p = keep(Proc.start("gdbus-native", dir, bus.env(), List.of("gdbus", "monitor", "--system", "--dest",
                "net.dnsoops")));
        p.awaitOutput("Monitoring signals", WAIT);
        return p;
    }

    private static String hookLines(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (java.io.IOException e) {
            return "";
        }
    }

    @Test
    void knotZoneUpdatedIsVerifiedAndBecomesAHookAndANativeSignal() throws Exception {
        PrivateBus bus = bus();
        int notifyPort = FreePorts.next();
        Path hookLog = dir.resolve("hook.log");
        Proc nativeMon = nativeMonitor(bus);
        // The primary's port must be known before dns-oops starts; knotd itself starts after dns-oops, so
        // that the listener is subscribed when knotd says started.
        int knotPort = KnotWithDbus.choosePort();
        DnsOopsProcess oops = keep(DnsOopsProcess.start(dir, notifyPort,
                config(notifyPort, "\"127.0.0.1@" + knotPort + "\"", false, hookLog), bus.env()));
        oops.proc.awaitOutput("listening for Knot's D-Bus signals", WAIT);

        KnotWithDbus knot = keep(KnotWithDbus.start(ZONE, dir.resolve("knot"), knotPort, bus.env()));
        nativeMon.awaitOutput("net\\.dnsoops\\.Bridge\\.ServerUp \\('cz\\.nic\\.knotd', 'knotd started'\\)", WAIT);
        Proc.await(() -> hookLines(hookLog).contains("zone-ready " + ZONE + " 2024010101"), WAIT, "zone-ready hook");

        knot.setSerial(2024010102L);
        oops.proc.awaitOutput("knot-dbus: zone_updated " + ZONE.replace(".", "\\.")
                + " serial 2024010102; verifying by SOA query", WAIT);
        Proc.await(() -> hookLines(hookLog).contains("zone-updated " + ZONE + " 2024010102"), WAIT,
                "zone-updated hook; hook log: " + hookLines(hookLog));
        nativeMon.awaitOutput("net\\.dnsoops\\.Bridge\\.ZoneUpdated \\('" + ZONE.replace(".", "\\.")
                + "', 'default', uint32 2024010102, uint32 2024010101, '127\\.0\\.0\\.1'\\)", WAIT);
        assertEquals(1, hookLines(hookLog).lines().filter(l -> l.startsWith("zone-updated")).count(),
                hookLines(hookLog));

        knot.stop();
        nativeMon.awaitOutput("net\\.dnsoops\\.Bridge\\.ServerDown \\('cz\\.nic\\.knotd', 'knotd stopped'\\)", WAIT);
        assertEquals(1, nativeMon.count("ServerDown"), "stopped and leaving the bus make one server-down");
    }

    @Test
    void theListenerSubscribesAgainAfterTheBusRestarts() throws Exception {
        PrivateBus bus = bus();
        int notifyPort = FreePorts.next();
        Path hookLog = dir.resolve("hook.log");
        int knotPort = KnotWithDbus.choosePort();
        DnsOopsProcess oops = keep(DnsOopsProcess.start(dir, notifyPort,
                config(notifyPort, "\"127.0.0.1@" + knotPort + "\"", false, hookLog), bus.env()));
        oops.proc.awaitOutput("D-Bus knot-listener: connected", WAIT);
        KnotWithDbus knot = keep(KnotWithDbus.start(ZONE, dir.resolve("knot"), knotPort, bus.env()));
        oops.proc.awaitOutput("condition: server-up raised source=cz\\.nic\\.knotd", WAIT);
        knot.stop(); // knotd itself never reconnects to a restarted bus: it is restarted below, as an operator would
        oops.proc.awaitOutput("condition: server-down raised source=cz\\.nic\\.knotd", WAIT);
        knot.close();

        bus.restart();
        Proc.await(() -> oops.proc.count("D-Bus knot-listener: connected") >= 2, WAIT, "the listener to reconnect");
        KnotWithDbus again = keep(KnotWithDbus.start(ZONE, dir.resolve("knot-again"), knotPort, bus.env()));
        Proc.await(() -> oops.proc.count("condition: server-up raised") >= 2, WAIT, "server-up after the restart");
        again.setSerial(2024010102L);
        Proc.await(() -> hookLines(hookLog).contains("zone-updated " + ZONE + " 2024010102"), WAIT,
                "zone-updated via the resubscribed listener; dns-oops log:\n" + oops.proc.output());
    }

    @Test
    void aKnotdAlreadyRunningIsUpAndHeard() throws Exception {
        PrivateBus bus = bus();
        int notifyPort = FreePorts.next();
        Path hookLog = dir.resolve("hook.log");
        KnotWithDbus knot = keep(KnotWithDbus.start(ZONE, dir.resolve("knot"), KnotWithDbus.choosePort(), bus.env()));
        DnsOopsProcess oops = keep(DnsOopsProcess.start(dir, notifyPort,
                config(notifyPort, "\"" + knot.primary() + "\"", false, hookLog), bus.env()));
        oops.proc.awaitOutput("condition: server-up raised source=cz\\.nic\\.knotd detail=\"knotd is on the bus\"", WAIT);
        Proc.await(() -> hookLines(hookLog).contains("zone-ready " + ZONE + " 2024010101"), WAIT, "zone-ready hook");
        knot.setSerial(2024010102L);
        Proc.await(() -> hookLines(hookLog).contains("zone-updated " + ZONE + " 2024010102"), WAIT,
                "zone-updated hook; dns-oops log:\n" + oops.proc.output());
    }

    @Test
    void trustedSerialNeedsNoPrimary() throws Exception {
        PrivateBus bus = bus();
        int notifyPort = FreePorts.next();
        Path hookLog = dir.resolve("hook.log");
        DnsOopsProcess oops = keep(DnsOopsProcess.start(dir, notifyPort, config(notifyPort, "", true, hookLog),
                bus.env()));
        oops.proc.awaitOutput("listening for Knot's D-Bus signals", WAIT);

        // No primary configured and no NOTIFY: only knotd's zone_updated (sent at its first load) can make it ready.
        KnotWithDbus knot = keep(KnotWithDbus.start(ZONE, dir.resolve("knot"), KnotWithDbus.choosePort(), bus.env()));
        Proc.await(() -> hookLines(hookLog).contains("zone-ready " + ZONE + " 2024010101"), WAIT,
                "zone-ready from the trusted signal; dns-oops log:\n" + oops.proc.output());
        knot.setSerial(2024010102L);
        Proc.await(() -> hookLines(hookLog).contains("zone-updated " + ZONE + " 2024010102"), WAIT,
                "zone-updated from the trusted signal");
        assertTrue(oops.proc.output().contains("(trusted)"), oops.proc.output());
    }
}
