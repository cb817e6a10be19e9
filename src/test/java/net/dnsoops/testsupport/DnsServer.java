package net.dnsoops.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Knot, NSD or BIND primary on 127.0.0.1, built from {@code test-zones/} in a private
 * directory with its own free ports, that notifies dns-oops at {@code notifyPort}. Tests change
 * serials with {@link #setSerial} (zone file rewrite + the server's own reload command).
 */
public final class DnsServer implements AutoCloseable {
    public enum Kind {
        KNOT("knot"), NSD("nsd"), BIND("bind");

        final String dir;

        Kind(String dir) {
            this.dir = dir;
        }

        /** How this server sends NOTIFY (Knot: TCP only; NSD and BIND: UDP). */
        public String notifyTransport() {
            return this == KNOT ? "tcp" : "udp";
        }
    }

    /** SOA timers in the zone files (seconds). */
    public record Timers(long refresh, long retry, long expire) {
        public static final Timers DEFAULT = new Timers(3600, 10, 86400);
    }

    private static final Path FIXTURES = Paths.get("test-zones").toAbsolutePath();
    /** TSIG key "bridge-key" (hmac-sha256) that zones named *-tsig.test. notify with. */
    public static final String TSIG_KEY = "bridge-key";
    public static final String TSIG_SECRET = "0ZtftnME+BVvqzZh6yUk83SAaGpS2LMXxJfiB3xDJ1U=";

    private final Kind kind;
    private final Path base;
    private final int port;
    private final int ctlPort;
    private final int notifyPort;
    /** BIND's statistics channel (HTTP, JSON) port. */
    private final int statsPort;
    private final Map<String, Long> serials = new LinkedHashMap<>();
    private final Timers timers;
    private Process process;

    public DnsServer(Kind kind, Path base, int notifyPort, Timers timers, String... zones) throws IOException {
        this.kind = kind;
        this.base = Files.createDirectories(base.resolve(kind.dir));
        this.port = FreePorts.next();
        this.ctlPort = FreePorts.next();
        this.notifyPort = notifyPort;
        this.statsPort = FreePorts.next();
        this.timers = timers;
        for (String z : zones) serials.put(z.endsWith(".") ? z : z + ".", 2024010101L);
        writeConfig();
        for (String z : serials.keySet()) writeZone(z);
    }

    public static DnsServer start(Kind kind, Path base, int notifyPort, String... zones) throws IOException {
        DnsServer s = new DnsServer(kind, base, notifyPort, Timers.DEFAULT, zones);
        s.start();
        return s;
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    /** "127.0.0.1@port", as dns-oops's config writes a primary. */
    public String primary() {
        return "127.0.0.1@" + port;
    }

    public Kind kind() {
        return kind;
    }

    /** The zone's file, for tests that break it on purpose. */
    public Path zoneFile(String zone) {
        return base.resolve(noDot(zone.endsWith(".") ? zone : zone + ".") + ".zone");
    }

    /** Starts the server without waiting for its zones (some may be broken on purpose). */
    public void startUnchecked() throws IOException {
        launch();
        Eventually.sleep(500);
    }

    public Path logFile() {
        return base.resolve("server.log");
    }

    public void start() throws IOException {
        launch();
        for (Map.Entry<String, Long> z : serials.entrySet()) {
            Eventually.await(Duration.ofSeconds(15), kind + " serving " + z.getKey(),
                    () -> DnsClient.soaSerial(address(), z.getKey()) == z.getValue(), this::logTail);
        }
    }

    private void launch() throws IOException {
        List<String> cmd = switch (kind) {
            case KNOT -> List.of("knotd", "-c", base.resolve("knot.conf").toString());
            case NSD -> List.of("nsd", "-d", "-c", base.resolve("nsd.conf").toString());
            case BIND -> List.of("named", "-g", "-c", base.resolve("named.conf").toString());
        };
        // NSD leaves its control socket behind on SIGTERM; a restart could not bind it.
        if (kind == Kind.NSD) Files.deleteIfExists(base.resolve("nsd.ctl"));
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile())).start();
    }

    /** Rewrites the zone file with a new serial and makes the server reload it (which notifies). */
    public void setSerial(String zone, long serial) throws IOException {
        String z = zone.endsWith(".") ? zone : zone + ".";
        serials.put(z, serial);
        writeZone(z);
        reload(z);
        Eventually.await(Duration.ofSeconds(10), kind + " serving " + z + " serial " + serial,
                () -> DnsClient.soaSerial(address(), z) == serial, this::logTail);
    }

    /** Makes the server reload the zone file as the test wrote it (which notifies); the caller waits for what it expects. */
    public void reload(String zone) throws IOException {
        String z = zone.endsWith(".") ? zone : zone + ".";
        List<String> cmd = switch (kind) {
            case KNOT -> List.of("knotc", "-s", base.resolve("knot.sock").toString(), "zone-reload", z);
            case NSD -> List.of("nsd-control", "-c", base.resolve("nsd.conf").toString(), "reload", noDot(z));
            case BIND -> List.of("rndc", "-c", base.resolve("rndc.conf").toString(), "reload", noDot(z));
        };
        run(cmd);
    }

    /** Runs {@code knotc} against this Knot's control socket (e.g. conf-begin / conf-set / conf-commit). */
    public void knotc(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("knotc", "-s", base.resolve("knot.sock").toString()));
        cmd.addAll(List.of(args));
        run(cmd);
    }

    /** Makes the running server read its (changed) config file again: knotc reload, nsd-control reconfig, rndc reconfig. */
    public void reconfigure() throws IOException {
        run(switch (kind) {
            case KNOT -> List.of("knotc", "-s", base.resolve("knot.sock").toString(), "reload");
            case NSD -> List.of("nsd-control", "-c", base.resolve("nsd.conf").toString(), "reconfig");
            case BIND -> List.of("rndc", "-c", base.resolve("rndc.conf").toString(), "reconfig");
        });
    }

    /** Stops the server (SIGTERM) and waits for it to exit. */
    public void stop() {
        if (process == null) return;
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** Kills the server (SIGKILL, a crash) and waits for it to exit. */
    public void kill() {
        if (process == null) return;
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /**
     * Where the stats input reads this server's query counters: the nsd.conf for nsd-control, the
     * control socket for knotc, the statistics channel URL for BIND.
     */
    public String statsControl() {
        return switch (kind) {
            case NSD -> base.resolve("nsd.conf").toString();
            case KNOT -> base.resolve("knot.sock").toString();
            case BIND -> "http://127.0.0.1:" + statsPort;
        };
    }

    /** The directory the server runs in (its config, zone files, logs). */
    public Path base() {
        return base;
    }

    public boolean running() {
        return process != null && process.isAlive();
    }

    @Override
    public void close() {
        stop();
    }

    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile());
            return kind + " log:\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return kind + " log unreadable: " + e;
        }
    }

    private void writeConfig() throws IOException {
        Path dir = FIXTURES.resolve(kind.dir);
        List<String> files = switch (kind) {
            case KNOT -> List.of("knot.conf");
            case NSD -> List.of("nsd.conf");
            case BIND -> List.of("named.conf", "rndc.conf");
        };
        for (String f : files) {
            String text = Files.readString(dir.resolve(f))
                    .replace("@BASE@", base.toString())
                    .replace("@PORT@", Integer.toString(port))
                    .replace("@CTL_PORT@", Integer.toString(ctlPort))
                    .replace("@NOTIFY@", Integer.toString(notifyPort))
                    .replace("@STATS_PORT@", Integer.toString(statsPort))
                    .replace("@SECRET@", TSIG_SECRET)
                    .replace("@ZONES@", zoneStanzas());
            Files.writeString(base.resolve(f), text);
        }
    }

    private String zoneStanzas() {
        List<String> out = new ArrayList<>();
        for (String z : serials.keySet()) {
            String file = noDot(z) + ".zone";
            boolean tsig = z.endsWith("-tsig.test.");
            out.add(switch (kind) {
                case KNOT -> "  - domain: " + z + "\n    notify: " + (tsig ? "dns-oops-tsig" : "dns-oops")
                        + "\n    acl: signed-queries";
                case NSD -> "zone:\n    name: " + noDot(z) + "\n    zonefile: " + file
                        + "\n    notify: 127.0.0.1@" + notifyPort + " " + (tsig ? TSIG_KEY : "NOKEY") + "\n";
                case BIND -> "zone \"" + noDot(z) + "\" {\n    type primary;\n    file \"" + file
                        + "\";\n    also-notify { 127.0.0.1 port " + notifyPort + (tsig ? " key \"" + TSIG_KEY + "\"" : "")
                        + "; };\n};\n";
            });
        }
        return String.join("\n", out);
    }

    private void writeZone(String zone) throws IOException {
        String text = Files.readString(FIXTURES.resolve("zones/test.zone"))
                .replace("@SERIAL@", Long.toString(serials.get(zone)))
                .replace("@REFRESH@", Long.toString(timers.refresh()))
                .replace("@RETRY@", Long.toString(timers.retry()))
                .replace("@EXPIRE@", Long.toString(timers.expire()));
        Path target = base.resolve(noDot(zone) + ".zone");
        Path tmp = base.resolve(noDot(zone) + ".zone.tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private void run(List<String> cmd) throws IOException {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(base.resolve("control.log").toFile())).start();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + " failed; see " + base.resolve("control.log"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static String noDot(String z) {
        return z.endsWith(".") ? z.substring(0, z.length() - 1) : z;
    }
}
