package net.dnsoops.bench;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import net.dnsoops.testsupport.Eventually;

/**
 * nsnotifyd (Tony Finch's NOTIFY-to-command daemon), run side by side with dns-oops when it is
 * installed: found on PATH or given with {@code -Dbench.nsnotifyd=/path}. Nothing of it is in
 * this repository. It answers a NOTIFY only after its own SOA query (to the notifier's address,
 * port 53) and, on a change, after its command has run; so its primary must listen on port 53
 * of the address the NOTIFYs come from.
 */
final class Nsnotifyd implements AutoCloseable {
    private final Path pidFile;
    private final InetSocketAddress address;
    private long pid = -1;

    static Optional<Path> find() {
        String given = System.getProperty("bench.nsnotifyd");
        if (given != null) return Optional.of(Path.of(given));
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, "nsnotifyd");
            if (Files.isExecutable(p)) return Optional.of(p);
        }
        return Optional.empty();
    }

    /**
     * Starts {@code exe} listening on 127.0.0.1:{@code port}, asking {@code authority} (port 53)
     * for the zones' SOA at start-up, running {@code hook zone serial notifier} on changes.
     */
    Nsnotifyd(Path exe, Path dir, int port, String authority, Path hook, List<String> zones) throws Exception {
        Files.createDirectories(dir);
        pidFile = dir.resolve("nsnotifyd.pid");
        address = new InetSocketAddress("127.0.0.1", port);
        List<String> argv = new ArrayList<>(List.of(exe.toString(), "-4", "-a", "127.0.0.1", "-p",
                Integer.toString(port), "-s", authority, "-P", pidFile.toString(), hook.toString()));
        argv.addAll(zones);
        // Without -d it logs to syslog, not to a terminal, as it runs in production; it then
        // daemonizes, so the pid comes from its pid file.
        Process starter = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(dir.resolve("nsnotifyd.out").toFile()).start();
        if (!starter.waitFor(5, TimeUnit.MINUTES) || starter.exitValue() != 0) {
            throw new IOException("nsnotifyd did not start: " + Files.readString(dir.resolve("nsnotifyd.out")));
        }
        Eventually.await(Duration.ofSeconds(30), "nsnotifyd pid file", () -> pidFile.toFile().length() > 0);
        pid = Long.parseLong(Files.readString(pidFile).trim());
    }

    InetSocketAddress address() {
        return address;
    }

    long pid() {
        return pid;
    }

    @Override
    public void close() throws InterruptedException {
        if (pid < 0) return;
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isEmpty()) return;
        h.get().destroy();
        for (int i = 0; i < 100 && h.get().isAlive(); i++) Thread.sleep(50);
        if (h.get().isAlive()) h.get().destroyForcibly();
    }
}
