package net.dnsoops.actuator.dbus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.dnsoops.testsupport.DnsServer;
import net.dnsoops.testsupport.DnsServer.Kind;
import net.dnsoops.testsupport.FreePorts;
import net.dnsoops.testsupport.dbus.DnsOopsProcess;
import net.dnsoops.testsupport.dbus.PrivateBus;
import net.dnsoops.testsupport.dbus.Proc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The "dbus" actuator against real parts: a private bus with the system bus's policy and the shipped
 * policy files, NSD and BIND primaries notifying dns-oops (the shaded jar), and consumers written as
 * Knot's users write them (gdbus monitor, python3-dbus). Everything on loopback and free ports.
 */
@Timeout(value = 120)
class DbusActuatorIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String NSD_ZONE = "nsd.dbus.test.";
    private static final String BIND_ZONE = "bind.dbus.test.";

    @TempDir
    Path dir;
    private final List<AutoCloseable> started = new ArrayList<>();

    private <T extends AutoCloseable> T keep(T t) {
        started.add(0, t); // closed in reverse order of start
        return t;
    }

    @AfterEach
    void stopAll() throws Exception {
        for (AutoCloseable c : started) c.close();
    }

    private PrivateBus bus(boolean allowKnotName) throws Exception {
        PrivateBus bus = keep(new PrivateBus(dir.resolve("bus")));
        bus.install("net.dnsoops.conf", PrivateBus.currentUser());
        if (allowKnotName) bus.install("cz.nic.knotd-dns-oops.conf", PrivateBus.currentUser());
        return bus.start();
    }

    /** zone, primary, zone, primary, ... */
    private static String config(int notifyPort, String... zoneAndPrimary) {
        return configWith(notifyPort, "", zoneAndPrimary);
    }

    /** {@code extra}: more top-level keys, each followed by a comma. */
    private static String configWith(int notifyPort, String extra, String... zoneAndPrimary) {
        StringBuilder zones = new StringBuilder();
        for (int i = 0; i < zoneAndPrimary.length; i += 2) {
            if (zones.length() > 0) zones.append(",\n");
            zones.append("    \"").append(zoneAndPrimary[i]).append("\": { \"primaries\": [\"")
                    .append(zoneAndPrimary[i + 1]).append("\"] }");
        }
        return """
                { "listen": ["127.0.0.1@%d"],
                  "defaults": { "soa-timeout": "1s", "initial-retry": "1s" },
                  "zones": {
                %s
                  },
                  %s
                  "dbus": { "signal-delay": "1s", "reconnect-interval": "500ms" } }
                """.formatted(notifyPort, zones, extra);
    }

    private Proc gdbusMonitor(PrivateBus bus, String dest, String label) throws Exception {
        Proc p = keep(Proc.start(label, dir, bus.env(), List.of("gdbus", "monitor", "--system", "--dest", dest)));
        p.awaitOutput("Monitoring signals", WAIT);
        return p;
    }

    private Proc pythonConsumer(PrivateBus bus) throws Exception {
        Path script = Path.of("src/test/resources/net/dnsoops/actuator/dbus/knot-consumer.py").toAbsolutePath();
        Proc p = keep(Proc.start("knot-consumer", dir, bus.env(), List.of("/usr/bin/python3", "-u", script.toString())));
        p.awaitOutput("^subscribed$", WAIT);
        return p;
    }

    private static String gdbusZoneUpdated(String zone, long serial) {
        return "^/cz/nic/knotd: cz\\.nic\\.knotd\\.events\\.zone_updated \\('" + zone.replace(".", "\\.")
                + "', uint32 " + serial + "\\)$";
    }

    @Test
    void nsdAndBindHostsLookLikeKnotToGdbusAndPythonConsumers() throws Exception {
        PrivateBus bus = bus(true);
        int notifyPort = FreePorts.next();
        DnsServer nsd = keep(DnsServer.start(Kind.NSD, dir.resolve("nsd"), notifyPort, NSD_ZONE));
        DnsServer bind = keep(DnsServer.start(Kind.BIND, dir.resolve("bind"), notifyPort, BIND_ZONE));
        Proc gdbus = gdbusMonitor(bus, "cz.nic.knotd", "gdbus-knot");
        Proc nativeMon = gdbusMonitor(bus, "net.dnsoops", "gdbus-native");
        Proc python = pythonConsumer(bus);

        // The Knot listener runs too: it must ignore what this same process emits as cz.nic.knotd.
        DnsOopsProcess oops = keep(DnsOopsProcess.start(dir, notifyPort, configWith(notifyPort, "\"knot-dbus\": {},",
                NSD_ZONE, nsd.primary(), BIND_ZONE, bind.primary()), bus.env()));

        // started() and zone_updated at the first verified load, as knotd does.
        gdbus.awaitOutput("^/cz/nic/knotd: cz\\.nic\\.knotd\\.events\\.started \\(\\)$", WAIT);
        gdbus.awaitOutput(gdbusZoneUpdated(NSD_ZONE, 2024010101L), WAIT);
        gdbus.awaitOutput(gdbusZoneUpdated(BIND_ZONE, 2024010101L), WAIT);
        python.awaitOutput("^started$", WAIT);
        python.awaitOutput("^zone_updated " + NSD_ZONE + " 2024010101$", WAIT);
        python.awaitOutput("^zone_updated " + BIND_ZONE + " 2024010101$", WAIT);

        // A new serial: NSD and BIND notify, dns-oops verifies by SOA query, consumers see the verified serial.
        nsd.setSerial(NSD_ZONE, 2024010102L);
        bind.setSerial(BIND_ZONE, 2024010102L);
        gdbus.awaitOutput(gdbusZoneUpdated(NSD_ZONE, 2024010102L), WAIT);
        gdbus.awaitOutput(gdbusZoneUpdated(BIND_ZONE, 2024010102L), WAIT);
        python.awaitOutput("^zone_updated " + NSD_ZONE + " 2024010102$", WAIT);
        python.awaitOutput("^zone_updated " + BIND_ZONE + " 2024010102$", WAIT);
        assertEquals(1, gdbus.count(gdbusZoneUpdated(NSD_ZONE, 2024010102L)), gdbus.output());
        assertEquals(0, oops.proc.count("knot-dbus: zone_updated|server-up"), "no loop through our own listener");

        // The native profile carries the condition with old serial and notifier, and answers state calls.
        nativeMon.awaitOutput("net\\.dnsoops\\.Bridge\\.ZoneUpdated \\('" + NSD_ZONE.replace(".", "\\.")
                + "', 'default', uint32 2024010102, uint32 2024010101, '127\\.0\\.0\\.1'\\)", WAIT);
        nativeMon.awaitOutput("net\\.dnsoops\\.Bridge\\.ServiceReady \\('default', true\\)", WAIT);
        String zones = Proc.run(bus.env(), WAIT, "gdbus", "call", "--system", "--dest", "net.dnsoops",
                "--object-path", "/net/dnsoops", "--method", "net.dnsoops.Bridge.GetZones");
        assertTrue(zones.contains("('" + BIND_ZONE + "', 'default', 'ready', int64 2024010102"), zones);
        String props = Proc.run(bus.env(), WAIT, "gdbus", "call", "--system", "--dest", "net.dnsoops",
                "--object-path", "/net/dnsoops", "--method", "org.freedesktop.DBus.Properties.GetAll",
                "net.dnsoops.Bridge");
        assertTrue(props.contains("'Ready': <true>") && props.contains("'ZoneCount': <uint32 2>"), props);
        String unknown = runExpectingFailure(bus.env(), "gdbus", "call", "--system", "--dest", "net.dnsoops",
                "--object-path", "/net/dnsoops", "--method", "net.dnsoops.Bridge.GetZone", "nope.test.");
        assertTrue(unknown.contains("net.dnsoops.actuator.dbus.NativeBridge.UnknownZone"), unknown);

        // stopped() when dns-oops stops, as knotd says it.
        oops.close();
        gdbus.awaitOutput("^/cz/nic/knotd: cz\\.nic\\.knotd\\.events\\.stopped \\(\\)$", WAIT);
        python.awaitOutput("^stopped$", WAIT);
        assertEquals(0, oops.proc.count("server-down"), "our own stopped() is not taken for knotd's");
    }

    @Test
    void signalsFlowAgainAfterTheBusRestarts() throws Exception {
        PrivateBus bus = bus(true);
        int notifyPort = FreePorts.next();
        DnsServer nsd = keep(DnsServer.start(Kind.NSD, dir.resolve("nsd"), notifyPort, NSD_ZONE));
        Proc before = gdbusMonitor(bus, "cz.nic.knotd", "gdbus-before");
        DnsOopsProcess oops = keep(DnsOopsProcess.start(dir, notifyPort, config(notifyPort, NSD_ZONE, nsd.primary()), bus.env()));
        before.awaitOutput(gdbusZoneUpdated(NSD_ZONE, 2024010101L), WAIT);

        bus.restart();
        oops.proc.awaitOutput("lost the bus", WAIT);
        Proc after = gdbusMonitor(bus, "cz.nic.knotd", "gdbus-after");
        after.awaitOutput("The name cz\\.nic\\.knotd is owned by", WAIT); // dns-oops re-owned the name
        // "connected" is logged once the signal-delay after taking the name has passed
        Proc.await(() -> oops.proc.count("D-Bus knot: connected") >= 2 && oops.proc.count("D-Bus native: connected") >= 2,
                WAIT, "dns-oops to reconnect both links");

        Proc nativeAfter = gdbusMonitor(bus, "net.dnsoops", "gdbus-native-after");
        nativeAfter.awaitOutput("The name net\\.dnsoops is owned by", WAIT);
        nsd.setSerial(NSD_ZONE, 2024010102L);
        after.awaitOutput(gdbusZoneUpdated(NSD_ZONE, 2024010102L), WAIT);
        nativeAfter.awaitOutput("net\\.dnsoops\\.Bridge\\.ZoneUpdated \\('" + NSD_ZONE.replace(".", "\\.")
                + "', 'default', uint32 2024010102", WAIT);
        assertTrue(oops.proc.alive(), "dns-oops must survive a bus restart");
    }

    @Test
    void aReloadHandsTheNamesToTheNewEmitterAtOnce() throws Exception {
        PrivateBus bus = bus(true);
        int notifyPort = FreePorts.next();
        DnsServer nsd = keep(DnsServer.start(Kind.NSD, dir.resolve("nsd"), notifyPort, NSD_ZONE));
        Proc gdbus = gdbusMonitor(bus, "cz.nic.knotd", "gdbus-knot");
        DnsOopsProcess oops = keep(DnsOopsProcess.start(dir, notifyPort, config(notifyPort, NSD_ZONE, nsd.primary()),
                bus.env()));
        gdbus.awaitOutput(gdbusZoneUpdated(NSD_ZONE, 2024010101L), WAIT);

        oops.proc.signal("HUP");
        oops.proc.awaitOutput("reloaded .*dns-oops\\.json", WAIT);
        Proc.await(() -> gdbus.count("The name cz\\.nic\\.knotd is owned by") >= 2, WAIT,
                "the new emitter to take cz.nic.knotd over; " + gdbus.output());
        Proc.await(() -> oops.proc.count("D-Bus knot: connected") >= 2, WAIT, "its signal-delay to pass");
        nsd.setSerial(NSD_ZONE, 2024010102L);
        gdbus.awaitOutput(gdbusZoneUpdated(NSD_ZONE, 2024010102L), WAIT);
        Thread.sleep(500);
        assertEquals(1, gdbus.count(gdbusZoneUpdated(NSD_ZONE, 2024010102L)), gdbus.output());
        assertEquals(0, oops.proc.count("owned by another connection|WARN  BusLink|ERROR BusLink"), oops.proc.output());
        String zones = Proc.run(bus.env(), WAIT, "gdbus", "call", "--system", "--dest", "net.dnsoops",
                "--object-path", "/net/dnsoops", "--method", "net.dnsoops.Bridge.GetZones");
        assertTrue(zones.contains("int64 2024010102"), "the new native object answers: " + zones);
    }

    @Test
    void aDeniedNameIsReportedAndNotifyIsStillServed() throws Exception {
        PrivateBus bus = bus(false); // only the native policy is installed
        int notifyPort = FreePorts.next();
        DnsServer nsd = keep(DnsServer.start(Kind.NSD, dir.resolve("nsd"), notifyPort, NSD_ZONE));
        Proc nativeMon = gdbusMonitor(bus, "net.dnsoops", "gdbus-native");
        DnsOopsProcess oops = keep(DnsOopsProcess.start(dir, notifyPort, config(notifyPort, NSD_ZONE, nsd.primary()), bus.env()));

        oops.proc.awaitOutput("D-Bus knot: the bus at .* denied us: .*cz\\.nic\\.knotd.*"
                + "install conf/dbus/cz\\.nic\\.knotd-dns-oops\\.conf", WAIT);
        assertEquals(1, oops.proc.count("denied us"), "the refusal is reported once, not every retry");

        // NOTIFY is answered (NOERROR) and verified; the native profile is unaffected.
        Path jar = Path.of("target", "dns-oops.jar").toAbsolutePath();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String answer = Proc.run(Map.of(), WAIT, java, "-jar", jar.toString(), "notify", "--server",
                "127.0.0.1@" + notifyPort, NSD_ZONE);
        assertTrue(answer.contains("NOERROR"), answer);
        nsd.setSerial(NSD_ZONE, 2024010102L);
        nativeMon.awaitOutput("net\\.dnsoops\\.Bridge\\.ZoneUpdated \\('" + NSD_ZONE.replace(".", "\\.")
                + "', 'default', uint32 2024010102", WAIT);

        // The operator installs the shipped policy and reloads the bus with the command the message
        // gives, as written: dns-oops takes the name, no restart.
        Matcher hint = Pattern.compile("\\((dbus-send [^)]*)\\)").matcher(oops.proc.output());
        assertTrue(hint.find(), "the refusal names the command that reloads the bus: " + oops.proc.output());
        Proc gdbus = gdbusMonitor(bus, "cz.nic.knotd", "gdbus-knot");
        bus.install("cz.nic.knotd-dns-oops.conf", PrivateBus.currentUser());
        // The bus answers a ReloadConfig method call; a signal of that name (dbus-send's default
        // type) gets no answer and reloads nothing. The private bus also reloads by itself when a
        // policy file appears (inotify), so the answer is what tells a working command.
        String reply = Proc.run(bus.env(), WAIT, hint.group(1).split(" "));
        assertTrue(reply.matches("(?s)method return .*sender=org\\.freedesktop\\.DBus.*"),
                "the bus did not answer " + hint.group(1) + ": " + reply);
        gdbus.awaitOutput("The name cz\\.nic\\.knotd is owned by", WAIT);
        oops.proc.awaitOutput("D-Bus knot: connected", WAIT);
    }

    private static String runExpectingFailure(Map<String, String> env, String... argv) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
        pb.environment().putAll(new HashMap<>(env));
        Process p = pb.start();
        p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS);
        if (p.isAlive()) p.destroyForcibly();
        return new String(p.getInputStream().readAllBytes());
    }
}
