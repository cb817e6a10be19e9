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
 * Asks a name server's control channel: runs its control command (nsd-control, knotc) as an
 * argv, no shell, or GETs a page of its HTTP statistics channel (BIND). Command output goes to a
 * temporary file, not a pipe, so a chatty command cannot block on a full pipe while we wait for it.
 */
public final class ControlCommand {
    private ControlCommand() {
    }

    /**
     * Checks a config entry naming a local server's control channel: {@code server} is nsd, knot
     * or bind, and bind's {@code control} is its statistics channel URL. IllegalArgumentException
     * in the config's words otherwise.
     */
    public static void checkServer(String server, String control) {
        if (server == null || !(server.equals("nsd") || server.equals("knot") || server.equals("bind"))) {
            throw new IllegalArgumentException("\"server\" must be \"nsd\", \"knot\" or \"bind\"");
        }
        if (server.equals("bind") && (control == null || !control.startsWith("http"))) {
            throw new IllegalArgumentException("\"control\" must be the statistics channel URL for bind, e.g. http://127.0.0.1:8053");
        }
    }

    /** The body of {@code url}; anything but HTTP 200 is an IOException naming the URL and status. */
    public static String httpGet(java.net.http.HttpClient http, String url, Duration timeout)
            throws IOException, InterruptedException {
        java.net.http.HttpResponse<String> r = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                .timeout(timeout).GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IOException(url + " answered HTTP " + r.statusCode());
        return r.body();
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
