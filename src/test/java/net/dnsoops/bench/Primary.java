package net.dnsoops.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.dnsoops.testsupport.DnsClient;
import net.dnsoops.testsupport.Eventually;

/**
 * The real primary the benchmark runs: zones z0.bench. … z(N-1).bench. from one shared zone file
 * ({@code bench.zone} in its directory), so that one rewrite plus a reload changes every zone's
 * serial. It notifies nobody itself: the benchmark sends the NOTIFYs, so it controls their rate.
 * NSD ({@link NsdPrimary}, the default) or Knot DNS ({@link KnotPrimary}, {@code --primary knot});
 * a subclass writes its config and says how to start and reload the server.
 */
abstract class Primary implements AutoCloseable {
    /** The TSIG key the primary knows, for the signed-check scenario (loopback only, so a fixed secret will do). */
    static final String KEY_NAME = "bench-key";
    static final String KEY_SECRET = "YmVuY2gta2V5LXNlY3JldC1mb3ItbG9vcGJhY2stb25seQ==";

    protected final Path dir;
    protected final int zones;
    private final String ip;
    private final int port;
    private Process process;

    Primary(Path dir, int zones, String ip, int port) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.zones = zones;
        this.ip = ip;
        this.port = port;
        writeZone(1);
    }

    static String zone(int i) {
        return "z" + i + ".bench.";
    }

    /** {@code --primary nsd|knot}, serving n zones in dir on ip@port, not started yet. */
    static Primary of(String kind, Path dir, int zones, String ip, int port) throws IOException {
        return switch (kind) {
            case "nsd" -> new NsdPrimary(dir, zones, ip, port);
            case "knot" -> new KnotPrimary(dir, zones, ip, port);
            default -> throw new IllegalArgumentException("--primary is nsd or knot, not " + kind);
        };
    }

    /** The server's name in CPU figures and messages. */
    abstract String name();

    /** The command that runs the server in the foreground. */
    protected abstract List<String> command();

    /** The command that makes the server re-read every zone, returning when it has. */
    protected abstract List<String> reloadCommand();

    /** As dns-oops' config spells it: ip@port. */
    final String primary() {
        return ip + "@" + port;
    }

    final InetSocketAddress address() {
        return new InetSocketAddress(ip, port);
    }

    /** Starts it and returns once the last zone is served. */
    final void start() throws IOException {
        process = new ProcessBuilder(command()).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name() + ".out").toFile()).start();
        Eventually.await(Duration.ofMinutes(5), name() + " serving " + zones + " zones",
                () -> DnsClient.soaSerial(address(), zone(zones - 1)) >= 0);
    }

    /** Gives every zone a new serial and waits until the primary serves it. */
    final void setSerial(long serial) throws Exception {
        writeZone(serial);
        Process p = new ProcessBuilder(reloadCommand()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("control.out").toFile()).start();
        p.waitFor(5, TimeUnit.MINUTES);
        Eventually.await(Duration.ofMinutes(5), name() + " serving serial " + serial,
                () -> DnsClient.soaSerial(address(), zone(zones - 1)) == serial
                        && DnsClient.soaSerial(address(), zone(0)) == serial);
    }

    private void writeZone(long serial) throws IOException {
        Files.writeString(dir.resolve("bench.zone"), "$TTL 60\n@ SOA ns hostmaster " + serial
                + " 3600 600 86400 60\n  NS ns\nns A 127.0.0.1\n");
    }

    final long pid() {
        return process.pid();
    }

    /** Resident memory in KiB, -1 once it is gone. */
    final long rssKb() {
        return CpuMeter.rssKb(process.pid());
    }

    @Override
    public final void close() throws InterruptedException {
        if (process == null) return;
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly();
    }
}
