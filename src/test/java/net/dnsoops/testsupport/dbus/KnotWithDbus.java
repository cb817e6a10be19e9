package net.dnsoops.testsupport.dbus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import net.dnsoops.testsupport.DnsClient;
import net.dnsoops.testsupport.FreePorts;

/**
 * A real knotd serving one zone with {@code dbus-event: [running, zone-updated]} on the bus in
 * {@code env} (test-zones/dbus/knot.conf.in). Unlike testsupport.DnsServer's Knot it sends no
 * NOTIFY: whatever dns-oops learns from it comes over D-Bus.
 */
public final class KnotWithDbus implements AutoCloseable {
    public final String zone;
    public final int port;
    public final Path dir;
    public final Proc proc;

    private KnotWithDbus(String zone, int port, Path dir, Proc proc) {
        this.zone = zone;
        this.port = port;
        this.dir = dir;
        this.proc = proc;
    }

    /** A free port for the Knot that {@link #start} will run, e.g. to write into dns-oops's config first. */
    public static int choosePort() {
        return FreePorts.next();
    }

    public static KnotWithDbus start(String zone, Path dir, int port, Map<String, String> env) throws IOException {
        Files.createDirectories(dir);
        writeZone(dir, 2024010101L);
        Path conf = Fixtures.render("knot.conf.in", dir.resolve("knot.conf"), Map.of("DIR", dir.toAbsolutePath().toString(),
                "PORT", Integer.toString(port), "ZONE", zone));
        Proc p = Proc.start("knotd", dir, env, List.of("knotd", "-c", conf.toString()));
        KnotWithDbus k = new KnotWithDbus(zone, port, dir, p);
        try {
            Proc.await(() -> serial(port, zone) == 2024010101L, Duration.ofSeconds(15), "knotd serving " + zone);
        } catch (AssertionError e) {
            k.close();
            throw new AssertionError(e.getMessage() + "\n" + p.output(), e);
        }
        return k;
    }

    public String primary() {
        return "127.0.0.1@" + port;
    }

    /** Rewrites the zone with serial {@code to} and reloads it (knotd then emits zone_updated). */
    public void setSerial(long to) throws IOException, InterruptedException {
        writeZone(dir, to);
        Proc.run(Map.of(), Duration.ofSeconds(10), "knotc", "-s", dir.resolve("knot.sock").toString(), "zone-reload", zone);
    }

    /** Stops knotd the operator's way (it says stopped on the bus). */
    public void stop() throws IOException, InterruptedException {
        Proc.run(Map.of(), Duration.ofSeconds(10), "knotc", "-s", dir.resolve("knot.sock").toString(), "stop");
    }

    private static void writeZone(Path dir, long serial) throws IOException {
        String text = Files.readString(Path.of("test-zones", "zones", "test.zone").toAbsolutePath())
                .replace("@SERIAL@", Long.toString(serial)).replace("@REFRESH@", "3600")
                .replace("@RETRY@", "10").replace("@EXPIRE@", "86400");
        Files.writeString(dir.resolve("zone.db"), text);
    }

    private static long serial(int port, String zone) {
        try {
            return DnsClient.soaSerial(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port), zone);
        } catch (Exception e) {
            return -1;
        }
    }

    @Override
    public void close() {
        proc.close();
    }
}
