package net.dnsoops.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A process a test started, with its output in a log file, stopped by its own PID only:
 * SIGTERM, a bounded wait, then SIGKILL. Child processes it spawned are stopped the same way.
 */
public final class ManagedProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path log;

    private ManagedProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    public static ManagedProcess start(String name, List<String> argv, Path log) {
        return start(name, new ProcessBuilder(argv), log);
    }

    public static ManagedProcess start(String name, ProcessBuilder pb, Path log) {
        try {
            Files.createDirectories(log.getParent());
            pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            if (pb.redirectInput() == ProcessBuilder.Redirect.PIPE) pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            return new ManagedProcess(name, pb.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + pb.command(), e);
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    public Process process() {
        return process;
    }

    public Path log() {
        return log;
    }

    public String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** SIGTERM; true if the process exited within {@code wait}. */
    public boolean terminate(Duration wait) {
        process.destroy();
        return waitExit(wait);
    }

    /** SIGKILL to this process only (its children are left to what the test checks) and wait for it. */
    public void kill() {
        process.destroyForcibly();
        waitExit(Duration.ofSeconds(5));
    }

    public boolean waitExit(Duration wait) {
        try {
            return process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public int exitCode() {
        return process.exitValue();
    }

    /** Stops the process and whatever it started (by PID): SIGTERM, 5 s, SIGKILL. */
    @Override
    public void close() {
        List<ProcessHandle> children = process.descendants().toList();
        if (process.isAlive() && !terminate(Duration.ofSeconds(5))) kill();
        for (ProcessHandle c : children) {
            c.destroy();
            try {
                c.onExit().get(3, TimeUnit.SECONDS);
            } catch (Exception e) {
                c.destroyForcibly();
            }
        }
    }

    @Override
    public String toString() {
        return name + "[" + process.pid() + "]";
    }
}
