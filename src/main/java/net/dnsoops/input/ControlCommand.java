package net.dnsoops.input;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a name server's control command (nsd-control, knotc) as an argv, no shell, and returns
 * what it printed. Output goes to a temporary file, not a pipe, so a chatty command cannot block
 * on a full pipe while we wait for it.
 */
public final class ControlCommand {
    private ControlCommand() {
    }

    /** stdout and stderr together; an IOException says what failed: timeout, exit status and its output, or no such command. */
    public static String run(List<String> argv, Duration timeout) throws IOException, InterruptedException {
        Path out = Files.createTempFile("dns-oops-control", ".txt");
        try {
            Process p;
            try {
                p = new ProcessBuilder(new ArrayList<>(argv)).redirectErrorStream(true)
                        .redirectOutput(out.toFile()).start();
            } catch (IOException e) {
                throw new IOException(String.join(" ", argv) + " could not be started: " + e.getMessage(), e);
            }
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", argv) + " timed out after " + timeout.toMillis() + " ms");
            }
            String text = Files.readString(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", argv) + " exited " + p.exitValue() + ": " + text.strip());
            }
            return text;
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
