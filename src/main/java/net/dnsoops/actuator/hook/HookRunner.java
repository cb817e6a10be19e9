package net.dnsoops.actuator.hook;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs one command to completion or timeout; its output goes to the log, never to our stdout. */
final class HookRunner {
    private static final Logger log = LoggerFactory.getLogger(HookRunner.class);
    private static final int MAX_LOGGED_LINES = 50;
    /**
     * Commands run in parallel, but are started one at a time. Starting a process from this
     * large multi-threaded JVM on several CPUs at once costs each start more CPU than it saves
     * (measured on a 2-core VM: 4 threads starting a shell script reached 253/s unserialized,
     * 275-290/s serialized); a start takes about a millisecond, so this lock caps nothing a
     * machine can sustain.
     */
    private static final Object SPAWN = new Object();

    /** Exit code, or null if the command could not start or was killed at its timeout. */
    record Outcome(Integer exitCode, String failure) {
        boolean ok() {
            return exitCode != null && exitCode == 0;
        }
    }

    private final ExecutorService outputPumps;

    HookRunner(ExecutorService outputPumps) {
        this.outputPumps = outputPumps;
    }

    Outcome run(List<String> argv, Map<String, String> env, Duration timeout, String label) {
        return run(argv, env, null, timeout, label);
    }

    /** With {@code stdin} (null: none) written to the command's standard input, which is then closed. */
    Outcome run(List<String> argv, Map<String, String> env, byte[] stdin, Duration timeout, String label) {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p;
        try {
            synchronized (SPAWN) {
                p = pb.start();
            }
        } catch (IOException e) {
            return new Outcome(null, "cannot start " + argv.get(0) + ": " + e.getMessage());
        }
        outputPumps.execute(() -> pump(p, label));
        try (var in = p.getOutputStream()) { // per-condition hooks get no stdin; batches get theirs
            if (stdin != null) in.write(stdin);
        } catch (IOException ignored) {
            // the command exited or closed its stdin without reading all: its exit code tells
        }
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                // Parent first, so it cannot run on after its children die; the snapshot of its
                // children is taken before, while they are still findable as descendants.
                List<ProcessHandle> children = p.descendants().toList();
                p.destroyForcibly();
                children.forEach(ProcessHandle::destroyForcibly);
                p.waitFor(5, TimeUnit.SECONDS);
                return new Outcome(null, "timed out after " + timeout.toMillis() + " ms, killed");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return new Outcome(null, "interrupted");
        }
        int code = p.exitValue();
        return new Outcome(code, code == 0 ? "" : "exit code " + code);
    }

    private static void pump(Process p, String label) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                if (n++ < MAX_LOGGED_LINES) log.info("hook {}: {}", label, line);
            }
        } catch (IOException ignored) {
            // the process was killed; its output is gone
        }
    }
}
