package net.dnsoops.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import net.dnsoops.testsupport.DnsClient;
import net.dnsoops.testsupport.Eventually;
import net.dnsoops.testsupport.FreePorts;

/**
 * A real NSD serving zones z0.bench. … z(N-1).bench. from one shared zone file, so that one
 * rewrite plus a reload changes every zone's serial. It does not notify anyone itself: the
 * benchmark sends the NOTIFYs, so it controls their rate.
 */
final class NsdPrimary implements AutoCloseable {
    private final Path dir;
    private final String ip;
    private final int port;
    private final int zones;
    private Process process;

    NsdPrimary(Path dir, int zones) throws IOException {
        this(dir, zones, "127.0.0.1", FreePorts.next());
    }

    /** The TSIG key NSD knows, for the signed-check scenario (loopback only, so a fixed secret will do). */
    static final String KEY_NAME = "bench-key";
    static final String KEY_SECRET = "YmVuY2gta2V5LXNlY3JldC1mb3ItbG9vcGJhY2stb25seQ==";

    /** On a given address: nsnotifyd asks the notifier's address on port 53, so its primary must be there. */
    NsdPrimary(Path dir, int zones, String ip, int port) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.zones = zones;
        this.ip = ip;
        this.port = port;
        StringBuilder conf = new StringBuilder();
        conf.append("server:\n    ip-address: ").append(ip).append("@").append(port).append("\n    do-ip6: no\n    username: \"\"\n")
                .append("    chroot: \"\"\n    zonesdir: \"").append(dir).append("\"\n    database: \"\"\n")
                .append("    pidfile: \"").append(dir).append("/nsd.pid\"\n    xfrdfile: \"").append(dir)
                .append("/xfrd.state\"\n    zonelistfile: \"").append(dir).append("/zone.list\"\n    xfrdir: \"")
                .append(dir).append("\"\n    server-count: 1\n    verbosity: 0\n    logfile: \"").append(dir)
                .append("/nsd.log\"\n    tcp-count: 1000\n")
                .append("key:\n    name: ").append(KEY_NAME).append("\n    algorithm: hmac-sha256\n    secret: \"")
                .append(KEY_SECRET).append("\"\n")
                .append("remote-control:\n    control-enable: yes\n    control-interface: \"").append(dir)
                .append("/nsd.ctl\"\npattern:\n    name: bench\n    zonefile: \"bench.zone\"\n");
        for (int i = 0; i < zones; i++) {
            conf.append("zone:\n    name: z").append(i).append(".bench\n    include-pattern: bench\n");
        }
        Files.writeString(dir.resolve("nsd.conf"), conf);
        writeZone(1);
    }

    static String zone(int i) {
        return "z" + i + ".bench.";
    }

    String primary() {
        return ip + "@" + port;
    }

    InetSocketAddress address() {
        return new InetSocketAddress(ip, port);
    }

    void start() throws IOException {
        process = new ProcessBuilder("nsd", "-d", "-c", dir.resolve("nsd.conf").toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("nsd.out").toFile()).start();
        Eventually.await(Duration.ofMinutes(5), "NSD serving " + zones + " zones",
                () -> DnsClient.soaSerial(address(), zone(zones - 1)) >= 0);
    }

    /** Gives every zone a new serial and waits until NSD serves it. */
    void setSerial(long serial) throws Exception {
        writeZone(serial);
        Process p = new ProcessBuilder("nsd-control", "-c", dir.resolve("nsd.conf").toString(), "reload")
                .redirectErrorStream(true).redirectOutput(dir.resolve("control.out").toFile()).start();
        p.waitFor(60, TimeUnit.SECONDS);
        Eventually.await(Duration.ofMinutes(5), "NSD serving serial " + serial,
                () -> DnsClient.soaSerial(address(), zone(zones - 1)) == serial
                        && DnsClient.soaSerial(address(), zone(0)) == serial);
    }

    private void writeZone(long serial) throws IOException {
        Files.writeString(dir.resolve("bench.zone"), "$TTL 60\n@ SOA ns hostmaster " + serial
                + " 3600 600 86400 60\n  NS ns\nns A 127.0.0.1\n");
    }

    long pid() {
        return process.pid();
    }

    long rssKb() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                if (l.startsWith("VmRSS:")) return Long.parseLong(l.replaceAll("[^0-9]", ""));
            }
        } catch (IOException ignored) {
            // gone
        }
        return -1;
    }

    @Override
    public void close() throws InterruptedException {
        if (process == null) return;
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly();
    }
}
