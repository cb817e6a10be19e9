package net.dnsoops.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real primary the benchmark runs: zones z0.bench. … z(N-1).bench. from one shared zone file,
 * so that one rewrite plus a reload changes every zone's serial. It notifies nobody itself: the
 * benchmark sends the NOTIFYs, so it controls their rate. NSD ({@link NsdPrimary}, the default)
 * or Knot DNS ({@link KnotPrimary}, {@code --primary knot}).
 */
interface Primary extends AutoCloseable {
    /** The TSIG key the primary knows, for the signed-check scenario (loopback only, so a fixed secret will do). */
    String KEY_NAME = "bench-key";
    String KEY_SECRET = "YmVuY2gta2V5LXNlY3JldC1mb3ItbG9vcGJhY2stb25seQ==";

    static String zone(int i) {
        return "z" + i + ".bench.";
    }

    /** {@code --primary nsd|knot}, serving n zones in dir on ip@port. */
    static Primary of(String kind, Path dir, int zones, String ip, int port) throws IOException {
        return switch (kind) {
            case "nsd" -> new NsdPrimary(dir, zones, ip, port);
            case "knot" -> new KnotPrimary(dir, zones, ip, port);
            default -> throw new IllegalArgumentException("--primary is nsd or knot, not " + kind);
        };
    }

    /** The process's name in CPU figures. */
    String name();

    /** As dns-oops' config spells it: ip@port. */
    String primary();

    InetSocketAddress address();

    /** Starts it and returns once the last zone is served. */
    void start() throws IOException;

    /** Gives every zone a new serial and waits until the primary serves it. */
    void setSerial(long serial) throws Exception;

    long pid();

    @Override
    void close() throws InterruptedException;

    static void writeZone(Path file, long serial) throws IOException {
        Files.writeString(file, "$TTL 60\n@ SOA ns hostmaster " + serial + " 3600 600 86400 60\n  NS ns\nns A 127.0.0.1\n");
    }

    /** Resident memory of a process in KiB, -1 once it is gone. */
    static long rssKb(long pid) {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (l.startsWith("VmRSS:")) return Long.parseLong(l.replaceAll("[^0-9]", ""));
            }
        } catch (IOException ignored) {
            // gone
        }
        return -1;
    }

    default long rssKb() {
        return rssKb(pid());
    }
}
