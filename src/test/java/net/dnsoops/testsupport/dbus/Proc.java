package net.dnsoops.testsupport.dbus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

/**
 * A process a test started: output to a log file, stopped by its own PID (TERM, then KILL), never by
 * name. Small on purpose; the shared test support on main may replace it.
 */
public final class Proc implements AutoCloseable {
    private final String label;
    private final Process process;
    private final Path log;

    private Proc(String label, Process process, Path log) {
        this.label = label;
        this.process = process;
        this.log = log;
    }

    public static Proc start(String label, Path dir, Map<String, String> env, List<String> argv) throws IOException {
        Path log = dir.resolve(label + ".log");
        ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().putAll(env);
        return new Proc(label, pb.start(), log);
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    public String output() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    /** Waits until the output matches {@code regex} (MULTILINE); fails with the output otherwise. */
    public void awaitOutput(String regex, Duration timeout) {
        Pattern p = Pattern.compile(regex, Pattern.MULTILINE);
        await(() -> p.matcher(output()).find(), timeout, label + " output matching /" + regex + "/");
    }

    public long count(String regex) {
        return Pattern.compile(regex, Pattern.MULTILINE).matcher(output()).results().count();
    }

    public void signal(String sig) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + sig, Long.toString(pid())).inheritIO().start().waitFor();
    }

    public static void await(BooleanSupplier ok, Duration timeout, String what) {
        net.dnsoops.testsupport.Eventually.await(timeout, what, ok);
    }

    /** Runs a command to completion (bounded) and returns its output. */
    public static String run(Map<String, String> env, Duration timeout, String... argv) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", argv) + " did not finish in " + timeout);
        }
        String out = new String(p.getInputStream().readAllBytes());
        if (p.exitValue() != 0) throw new AssertionError(String.join(" ", argv) + " exited " + p.exitValue() + ": " + out);
        return out;
    }

    /** SIGTERM, up to 5 s grace, then SIGKILL; only this process. */
    @Override
    public void close() {
        if (!process.isAlive()) return;
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return label + "[" + pid() + "]";
    }
}
