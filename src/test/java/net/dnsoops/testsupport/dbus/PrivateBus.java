package net.dnsoops.testsupport.dbus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A private D-Bus "system" bus for one test: the system bus's policy (test-zones/dbus/system-bus.conf.in)
 * on a socket in a temp dir. Clients find it through {@link #env()}. Policy files are added with
 * {@link #install}, as an operator would, and take effect on {@link #reloadConfig()}.
 */
public final class PrivateBus implements AutoCloseable {
    private final Path dir;
    private final Path config;
    private Proc daemon;
    private int generation;

    public PrivateBus(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir.resolve("system.d"));
        this.config = Fixtures.render("system-bus.conf.in", dir.resolve("system-bus.conf"),
                Map.of("DIR", dir.toAbsolutePath().toString()));
    }

    public PrivateBus start() throws IOException {
        // An absolute --config-file: the daemon chdir()s to / and re-reads it on ReloadConfig.
        daemon = Proc.start("dbus-daemon-" + (generation++), dir, Map.of(),
                List.of("dbus-daemon", "--nofork", "--nopidfile", "--config-file=" + config.toAbsolutePath()));
        Proc.await(this::answers, Duration.ofSeconds(10), "the private bus at " + address());
        return this;
    }

    /** Stops the bus (every client loses it) and starts it again on the same socket. */
    public void restart() throws IOException {
        daemon.close();
        Proc.await(() -> !Files.exists(socket()) || !answers(), Duration.ofSeconds(5), "the bus to go away");
        start();
    }

    public String address() {
        return "unix:path=" + socket();
    }

    private Path socket() {
        return dir.resolve("system_bus_socket").toAbsolutePath();
    }

    public Map<String, String> env() {
        return Map.of("DBUS_SYSTEM_BUS_ADDRESS", address());
    }

    /** Installs a shipped policy file (conf/dbus/NAME) with its user "dns-oops" replaced by {@code user}. */
    public void install(String name, String user) throws IOException {
        String s = Files.readString(Path.of("conf", "dbus", name));
        Files.writeString(dir.resolve("system.d").resolve(name), s.replace("user=\"dns-oops\"", "user=\"" + user + "\""));
    }

    /** Lets {@code user} use BecomeMonitor (dbus-monitor) on this bus. */
    public void allowMonitor(String user) throws IOException {
        Files.writeString(dir.resolve("system.d").resolve("test-monitor.conf"), """
                <!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
                 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
                <busconfig><policy user="%s">
                  <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus.Monitoring"/>
                </policy></busconfig>
                """.formatted(user));
    }

    public void reloadConfig() throws IOException, InterruptedException {
        Proc.run(env(), Duration.ofSeconds(10), "dbus-send", "--system", "--print-reply", "--dest=org.freedesktop.DBus",
                "/org/freedesktop/DBus", "org.freedesktop.DBus.ReloadConfig");
    }

    private boolean answers() {
        if (!Files.exists(socket())) return false;
        try {
            Proc.run(env(), Duration.ofSeconds(5), "dbus-send", "--system", "--print-reply", "--dest=org.freedesktop.DBus",
                    "/org/freedesktop/DBus", "org.freedesktop.DBus.GetId");
            return true;
        } catch (AssertionError | IOException | InterruptedException e) {
            return false;
        }
    }

    public String log() {
        return daemon == null ? "" : daemon.output();
    }

    @Override
    public void close() {
        if (daemon != null) daemon.close();
    }

    /** The user this JVM runs as: the one the test policies grant. */
    public static String currentUser() {
        return System.getProperty("user.name");
    }
}
