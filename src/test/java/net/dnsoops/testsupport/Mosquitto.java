package net.dnsoops.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real mosquitto broker (Debian package "mosquitto") on 127.0.0.1 and a free port, with its
 * own config in the test's directory: no persistence, password authentication for one user.
 */
public final class Mosquitto implements AutoCloseable {
    public static final String USER = "dns-oops";
    public static final String PASSWORD = "mqtt-test-password";

    private final Path base;
    private final int port;
    private int tlsPort = -1;
    private Path caFile;
    private Process process;

    public Mosquitto(Path base) throws IOException, InterruptedException {
        this.base = Files.createDirectories(base.resolve("mosquitto"));
        this.port = FreePorts.next();
        Path passwords = this.base.resolve("passwords");
        Process p = new ProcessBuilder("mosquitto_passwd", "-b", "-c", passwords.toString(), USER, PASSWORD)
                .redirectErrorStream(true).start();
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("mosquitto_passwd failed: " + new String(p.getInputStream().readAllBytes()));
        }
        Files.writeString(this.base.resolve("mosquitto.conf"), String.join("\n",
                "listener " + port + " 127.0.0.1",
                "allow_anonymous false",
                "password_file " + passwords,
                "persistence false",
                // As root, mosquitto would switch to user "mosquitto", who cannot read the test's
                // private directory; stay the invoking user.
                "user " + System.getProperty("user.name"),
                "log_dest stderr",
                "log_type all",
                "") + "\n");
    }

    /**
     * Adds a TLS listener on a second port, with a fresh test CA (openssl) and a server
     * certificate for 127.0.0.1; call before {@link #start}. Returns the CA file clients trust.
     */
    public Path withTls() throws IOException, InterruptedException {
        Path d = base;
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=dns-oops test CA",
                "-keyout", d.resolve("ca.key").toString(), "-out", d.resolve("ca.pem").toString());
        run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
                "-keyout", d.resolve("server.key").toString(), "-out", d.resolve("server.csr").toString());
        Files.writeString(d.resolve("san.ext"), "subjectAltName=IP:127.0.0.1\n");
        run("openssl", "x509", "-req", "-in", d.resolve("server.csr").toString(), "-CA", d.resolve("ca.pem").toString(),
                "-CAkey", d.resolve("ca.key").toString(), "-CAcreateserial", "-days", "2",
                "-extfile", d.resolve("san.ext").toString(), "-out", d.resolve("server.pem").toString());
        tlsPort = FreePorts.next();
        caFile = d.resolve("ca.pem");
        Files.writeString(d.resolve("mosquitto.conf"), String.join("\n",
                "listener " + tlsPort + " 127.0.0.1",
                "cafile " + caFile,
                "certfile " + d.resolve("server.pem"),
                "keyfile " + d.resolve("server.key"),
                "") + "\n", java.nio.file.StandardOpenOption.APPEND);
        return caFile;
    }

    private static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        }
    }

    public String tlsUri() {
        return "ssl://127.0.0.1:" + tlsPort;
    }

    public void start() {
        try {
            process = new ProcessBuilder(findBinary(), "-c", base.resolve("mosquitto.conf").toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(base.resolve("log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start mosquitto (apt-get install mosquitto mosquitto-clients)", e);
        }
        Eventually.await(Duration.ofSeconds(10), "mosquitto listening on " + port, () -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return true;
            } catch (IOException e) {
                return false;
            }
        }, this::logTail);
    }

    private static String findBinary() {
        for (String p : List.of("/usr/sbin/mosquitto", "/usr/bin/mosquitto")) {
            if (Files.isExecutable(Path.of(p))) return p;
        }
        return "mosquitto";
    }

    public String uri() {
        return "tcp://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public String logTail() {
        try {
            List<String> l = Files.readAllLines(base.resolve("log"));
            return "mosquitto log:\n" + String.join("\n", l.subList(Math.max(0, l.size() - 40), l.size()));
        } catch (IOException e) {
            return "no mosquitto log";
        }
    }

    @Override
    public void close() {
        if (process == null) return;
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }
}
