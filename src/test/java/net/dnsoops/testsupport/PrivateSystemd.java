package net.dnsoops.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real systemd (Debian's {@code /lib/systemd/systemd}) running as the system manager of its
 * own PID and mount namespaces, for one test: it knows only the units the test writes (through
 * {@code SYSTEMD_UNIT_PATH}), starts a real {@code dbus-daemon} as its {@code dbus.service} on
 * a socket in the test's directory, and registers {@code org.freedesktop.systemd1} there as on
 * a host. Its /run is private; its cgroups are made below a cgroup of its own, removed at close.
 * Needs root and unshare(1); without them the calling test is skipped.
 *
 * <p>Stopped by SIGKILL to the namespace's init (this systemd, by its PID): the kernel then
 * kills every process of the namespace.
 */
public final class PrivateSystemd implements AutoCloseable {
    private static final Path SYSTEMD = Path.of("/lib/systemd/systemd");
    private final Path dir;
    private final String cgroupName;
    private ManagedProcess unshare;

    private PrivateSystemd(Path dir) {
        this.dir = dir;
        this.cgroupName = "dns-oops-test-systemd-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    }

    /** Skips the calling test where no systemd can be run this way. */
    public static void assumeAvailable() {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "a systemd manager needs root");
        Assumptions.assumeTrue(Files.isExecutable(SYSTEMD), SYSTEMD + " is not installed");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/unshare")), "unshare(1) is not installed");
    }

    /** Writes the bus and target units plus {@code units} (file name → text) and boots systemd. */
    public static PrivateSystemd start(Path dir, java.util.Map<String, String> units) throws IOException {
        assumeAvailable();
        PrivateSystemd s = new PrivateSystemd(dir);
        s.boot(units);
        return s;
    }

    private void boot(java.util.Map<String, String> units) throws IOException {
        Path unitDir = Files.createDirectories(dir.resolve("units"));
        Files.createDirectories(dir.resolve("bus"));
        Files.createDirectories(dir.resolve("system.d"));
        // The system bus's own policy (the distro's system.d included, so systemd's policy too),
        // listening on the socket systemd hands it, as Debian's dbus.service does.
        String busConf = Files.readString(Path.of("test-zones/dbus/system-bus.conf.in"))
                .replace("<listen>unix:path=@DIR@/system_bus_socket</listen>", "<listen>systemd:</listen>")
                .replace("@DIR@", dir.toAbsolutePath().toString());
        Files.writeString(dir.resolve("system-bus.conf"), busConf);
        Files.writeString(unitDir.resolve("dns-oops-test.target"), """
                [Unit]
                Description=dns-oops test: the bus, then whatever the test starts
                Wants=dbus.socket dbus.service
                """);
        Files.writeString(unitDir.resolve("dbus.socket"), """
                [Unit]
                DefaultDependencies=no
                [Socket]
                ListenStream=/run/dbus/system_bus_socket
                """);
        Files.writeString(unitDir.resolve("dbus.service"), """
                [Unit]
                DefaultDependencies=no
                Requires=dbus.socket
                [Service]
                ExecStart=/usr/bin/dbus-daemon --nofork --nopidfile --systemd-activation --config-file=%s
                """.formatted(dir.resolve("system-bus.conf").toAbsolutePath()));
        for (var u : units.entrySet()) Files.writeString(unitDir.resolve(u.getKey()), u.getValue());
        // Outside: a cgroup of its own (systemd builds its tree below the cgroup it starts in).
        Path outer = dir.resolve("boot.sh");
        Files.writeString(outer, """
                #!/bin/sh
                set -e
                own() { mkdir -p "$1$2/%1$s" && echo $$ > "$1$2/%1$s/cgroup.procs"; }
                v1=$(sed -n 's/^[0-9]*:name=systemd://p' /proc/self/cgroup)
                v2=$(sed -n 's/^0:://p' /proc/self/cgroup)
                if [ -n "$v1" ] && [ -f /sys/fs/cgroup/systemd/cgroup.procs ]; then own /sys/fs/cgroup/systemd "$v1"; fi
                if [ -f /sys/fs/cgroup/unified/cgroup.procs ]; then own /sys/fs/cgroup/unified "$v2";
                elif [ -f /sys/fs/cgroup/cgroup.procs ]; then own /sys/fs/cgroup "$v2"; fi
                exec unshare --pid --fork --mount-proc --mount %2$s
                """.formatted(cgroupName, dir.resolve("init.sh").toAbsolutePath()));
        // Inside: a private /run whose dbus/ is the test's directory (so the test reaches the bus).
        Files.writeString(dir.resolve("init.sh"), """
                #!/bin/sh
                set -e
                mount -t tmpfs tmpfs /run
                mkdir -p /run/dbus
                mount --bind %1$s /run/dbus
                exec env -i container=dns-oops-test SYSTEMD_UNIT_PATH=%2$s PATH=/usr/sbin:/usr/bin:/sbin:/bin \
                    %3$s --system --unit=dns-oops-test.target --log-target=console --log-level=info
                """.formatted(dir.resolve("bus").toAbsolutePath(), unitDir.toAbsolutePath(), SYSTEMD));
        outer.toFile().setExecutable(true);
        dir.resolve("init.sh").toFile().setExecutable(true);
        unshare = ManagedProcess.start("systemd", List.of(outer.toAbsolutePath().toString()), dir.resolve("systemd.log"));
        Eventually.await(Duration.ofSeconds(20), "systemd registered as org.freedesktop.systemd1 on the private bus",
                this::registered, () -> unshare.logText());
    }

    /** The private system bus, for DBUS_SYSTEM_BUS_ADDRESS or a config's bus address. */
    public String busAddress() {
        return "unix:path=" + dir.resolve("bus/system_bus_socket").toAbsolutePath();
    }

    private boolean registered() {
        try {
            return busctl("call", "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                    "NameHasOwner", "s", "org.freedesktop.systemd1").contains("b true");
        } catch (IOException e) {
            return false;
        }
    }

    /** Runs busctl against the private bus; returns its output, throws if it failed. */
    public String busctl(String... args) throws IOException {
        List<String> argv = new java.util.ArrayList<>(List.of("busctl", "--address=" + busAddress(), "--timeout=5"));
        argv.addAll(List.of(args));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("busctl timed out: " + argv);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        String out = new String(p.getInputStream().readAllBytes());
        if (p.exitValue() != 0) throw new IOException(String.join(" ", argv) + ": " + out);
        return out;
    }

    /** Manager.StartUnit / StopUnit, as {@code systemctl --no-block} does: queues the job and returns. */
    public void startUnit(String unit) throws IOException {
        busctl("call", "org.freedesktop.systemd1", "/org/freedesktop/systemd1", "org.freedesktop.systemd1.Manager",
                "StartUnit", "ss", unit, "replace");
    }

    public void stopUnit(String unit) throws IOException {
        busctl("call", "org.freedesktop.systemd1", "/org/freedesktop/systemd1", "org.freedesktop.systemd1.Manager",
                "StopUnit", "ss", unit, "replace");
    }

    /** The unit's ActiveState as busctl reads it (the test's own view, independent of dns-oops's). */
    public String activeState(String unit) throws IOException {
        String path = busctl("call", "org.freedesktop.systemd1", "/org/freedesktop/systemd1",
                "org.freedesktop.systemd1.Manager", "LoadUnit", "s", unit).replaceFirst("^o \"", "").replaceFirst("\"\\s*$", "");
        return busctl("get-property", "org.freedesktop.systemd1", path, "org.freedesktop.systemd1.Unit", "ActiveState")
                .replaceFirst("^s \"", "").replaceFirst("\"\\s*$", "");
    }

    public String log() {
        return unshare == null ? "" : unshare.logText();
    }

    @Override
    public void close() {
        if (unshare == null) return;
        // SIGKILL to the namespace's init ends every process in it; unshare then exits.
        unshare.process().children().forEach(ProcessHandle::destroyForcibly);
        if (!unshare.waitExit(Duration.ofSeconds(10))) unshare.kill();
        removeCgroups();
    }

    /** Removes the cgroup made at boot and what systemd made below it (empty once its processes are gone). */
    private void removeCgroups() {
        for (String mount : List.of("/sys/fs/cgroup/systemd", "/sys/fs/cgroup/unified", "/sys/fs/cgroup")) {
            try (Stream<Path> found = Files.find(Path.of(mount), 8,
                    (p, a) -> a.isDirectory() && p.getFileName() != null && p.getFileName().toString().equals(cgroupName))) {
                for (Path top : found.toList()) {
                    for (int attempt = 0; attempt < 20 && Files.exists(top); attempt++) {
                        try (Stream<Path> tree = Files.walk(top)) {
                            for (Path p : tree.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList()) {
                                p.toFile().delete(); // rmdir; cgroupfs refuses while processes remain
                            }
                        }
                        if (Files.exists(top)) Eventually.sleep(100);
                    }
                }
            } catch (IOException | java.io.UncheckedIOException e) {
                // not mounted here, or not ours to read: nothing was made there
            }
        }
    }
}
