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
 * A real NSD as the benchmark's {@link Primary}. Debian's NSD reads and answers one datagram per
 * system call (built with --disable-recvmmsg).
 */
final class NsdPrimary implements Primary {
    private final Path dir;
    private final String ip;
    private final int port;
    private final int zones;
    private Process process;

    NsdPrimary(Path dir, int zones) throws IOException {
        this(dir, zones, "127.0.0.1", FreePorts.next());
    }

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

    @Override
    public String name() {
        return "nsd";
    }

    @Override
    public String primary() {
        return ip + "@" + port;
    }

    @Override
    public InetSocketAddress address() {
        return new InetSocketAddress(ip, port);
    }

    @Override
    public void start() throws IOException {
        process = new ProcessBuilder("nsd", "-d", "-c", dir.resolve("nsd.conf").toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("nsd.out").toFile()).start();
        Eventually.await(Duration.ofMinutes(5), "NSD serving " + zones + " zones",
                () -> DnsClient.soaSerial(address(), Primary.zone(zones - 1)) >= 0);
    }

    @Override
    public void setSerial(long serial) throws Exception {
        writeZone(serial);
        Process p = new ProcessBuilder("nsd-control", "-c", dir.resolve("nsd.conf").toString(), "reload")
                .redirectErrorStream(true).redirectOutput(dir.resolve("control.out").toFile()).start();
        p.waitFor(60, TimeUnit.SECONDS);
        Eventually.await(Duration.ofMinutes(5), "NSD serving serial " + serial,
                () -> DnsClient.soaSerial(address(), Primary.zone(zones - 1)) == serial
                        && DnsClient.soaSerial(address(), Primary.zone(0)) == serial);
    }

    private void writeZone(long serial) throws IOException {
        Primary.writeZone(dir.resolve("bench.zone"), serial);
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public void close() throws InterruptedException {
        if (process == null) return;
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly();
    }
}
