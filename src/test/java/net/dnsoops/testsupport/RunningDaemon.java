package net.dnsoops.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.util.List;
import net.dnsoops.config.ConfigLoader;
import net.dnsoops.daemon.Daemon;

/**
 * dns-oops started in the test's JVM from a config text, listening on a free port, with a
 * recording hook: {@code test-zones/hooks/record FILE {condition} {zone} {serial} {source}}
 * appends one line per condition to {@link #records()}.
 */
public final class RunningDaemon implements AutoCloseable {
    private final Path dir;
    private final int port;
    private final Daemon daemon;

    private RunningDaemon(Path dir, int port, Daemon daemon) {
        this.dir = dir;
        this.port = port;
        this.daemon = daemon;
    }

    /** The listen port to write into server configs before the daemon starts. */
    public static int choosePort() {
        return FreePorts.next();
    }

    /**
     * Starts a daemon whose config is {@code body}: the text inside the top-level object after
     * "listen" and "hooks", e.g. {@code "zones": {...}}. {@code @PORT@} and {@code @RECORD@} are
     * replaced.
     */
    public static RunningDaemon start(Path dir, int port, String body) throws Exception {
        return start(dir, port, List.of("127.0.0.1@" + port), body);
    }

    /** As {@link #start(Path, int, String)}, listening on {@code listen} ("addr@port" each). */
    public static RunningDaemon start(Path dir, int port, List<String> listen, String body) throws Exception {
        Path record = dir.resolve("hook-records.txt");
        Files.createDirectories(dir);
        Files.writeString(record, "");
        String hook = Paths.get("test-zones/hooks/record").toAbsolutePath().toString();
        // Control socket and drain file in the test's directory: never the system's, never shared.
        String text = "{\n\"listen\": [\"" + String.join("\", \"", listen) + "\"],\n"
                + "\"control-socket\": \"" + dir.resolve("control.sock") + "\", \"drain-file\": \""
                + dir.resolve("drained") + "\",\n"
                + "\"hooks\": [{ \"on\": [\"zone-ready\", \"zone-updated\", \"zone-refresh-failed\", \"zone-expiring\","
                + " \"zone-expired\", \"zone-recovered\", \"zone-ready:cleared\", \"service-ready\", \"service-not-ready\"],"
                + " \"command\": [\"" + hook + "\", \"" + record + "\", \"{condition}:{state}\", \"{zone}\", \"{serial}\","
                + " \"{source}\", \"{service}\"], \"retries\": 0 }],\n"
                + body.replace("@PORT@", Integer.toString(port)) + "\n}\n";
        Path config = dir.resolve("dns-oops.json");
        Files.writeString(config, text);
        Daemon d = new Daemon(config, ConfigLoader.load(config), Clock.systemUTC());
        d.start();
        return new RunningDaemon(dir, port, d);
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    public Daemon daemon() {
        return daemon;
    }

    /** Lines the recording hook wrote: "condition:state zone serial source service". */
    public List<String> records() {
        try {
            return Files.readAllLines(dir.resolve("hook-records.txt"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public long count(String prefix) {
        return records().stream().filter(l -> l.startsWith(prefix)).count();
    }

    public String dump() {
        return "hook records:\n" + String.join("\n", records());
    }

    @Override
    public void close() {
        daemon.close();
    }
}
