package net.dnsoops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.dnsoops.testsupport.Eventually;
import net.dnsoops.testsupport.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar as users run it: check-config, run with SIGHUP reload and SIGTERM stop, notify. */
class DnsOopsCliIT {
    static final Path JAR = Paths.get("target/dns-oops.jar").toAbsolutePath();

    @TempDir
    Path dir;

    record Result(int exit, String out, String err) {
    }

    static Result run(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("java", "-jar", JAR.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + cmd);
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void checkConfigAcceptsTheShippedConfigAndNamesTheLineOfAnError() throws Exception {
        Result ok = run("check-config", "-c", "conf/dns-oops.json");
        assertEquals(0, ok.exit(), ok.err());
        assertTrue(ok.out().contains("OK: 1 zones, 1 hooks"), ok.out());

        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\n  \"zones\": {\n    \"a.test.\": { \"primaries\": [\"not-an-ip\"] }\n  }\n}\n");
        Result err = run("check-config", "-c", bad.toString());
        assertEquals(1, err.exit());
        assertTrue(err.err().startsWith(bad + ":3:"), err.err());
        assertTrue(err.err().contains("zones.\"a.test.\".primaries[0]"), err.err());

        Result version = run("--version");
        assertTrue(version.out().startsWith("dns-oops "), version.out());
    }

    @Test
    void runReloadsOnSighupKeepsTheOldConfigWhenTheNewOneIsBrokenAndStopsCleanlyOnSigterm() throws Exception {
        int port = FreePorts.next();
        Path config = dir.resolve("dns-oops.json");
        String server = "127.0.0.1@" + port;
        String own = "\"control-socket\": \"" + dir.resolve("control.sock") + "\", \"drain-file\": \"" + dir.resolve("drained")
                + "\", ";
        Files.writeString(config, "{ " + own + "\"listen\": [\"" + server + "\"], \"zones\": { \"a.test.\": {} } }");
        Path log = dir.resolve("daemon.log");
        Process daemon = new ProcessBuilder("java", "-jar", JAR.toString(), "run", "-c", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            Eventually.await(Duration.ofSeconds(30), "daemon listening", () -> read(log).contains("bridge-started raised"),
                    () -> read(log));
            Result known = run("notify", "--server", server, "a.test.");
            assertEquals(0, known.exit(), known.out() + known.err());
            assertEquals("a.test. NOERROR\n", known.out());
            Result unknown = run("notify", "--tcp", "--server", server, "a.test.", "b.test.");
            assertEquals(1, unknown.exit(), "any failure makes notify fail");
            assertEquals("a.test. NOERROR\nb.test. NOTAUTH\n", unknown.out());

            Files.writeString(config, "{ " + own + "\"listen\": [\"" + server + "\"], \"zones\": { \"a.test.\": {}, \"b.test.\": {} } }");
            signal(daemon, "HUP");
            Eventually.await(Duration.ofSeconds(10), "reloaded", () -> read(log).contains("reloaded"), () -> read(log));
            assertEquals(0, run("notify", "--server", server, "b.test.").exit(), "zone added without a restart");

            Files.writeString(config, "{ " + own + "\"listen\": [\"" + server + "\"], \"zones\": { \"b.test.\": { \"soa-tries\": -1 } } }");
            signal(daemon, "HUP");
            Eventually.await(Duration.ofSeconds(10), "reload refused", () -> read(log).contains("reload failed, keeping"),
                    () -> read(log));
            assertTrue(read(log).contains(config + ":1:"), "the error names file and line:\n" + read(log));
            assertEquals("a.test. NOERROR\n", run("notify", "--server", server, "a.test.").out(), "old config kept");

            daemon.destroy(); // SIGTERM
            assertTrue(daemon.waitFor(15, TimeUnit.SECONDS), "stopped within 15 s");
            assertEquals(0, daemon.exitValue(), read(log));
            String out = read(log);
            assertTrue(out.contains("bridge-stopping raised") && out.contains("dns-oops stopped"), out);
        } finally {
            daemon.destroyForcibly();
        }
    }

    /** An operator testing a TSIG zone by hand: notify --key signs with a key from a keys file or the config. */
    @Test
    void notifyWithKeySignsAndTheDaemonAcceptsOnlyTheSignedOne() throws Exception {
        int port = FreePorts.next();
        String server = "127.0.0.1@" + port;
        String secret = "0ZtftnME+BVvqzZh6yUk83SAaGpS2LMXxJfiB3xDJ1U=";
        Path keys = dir.resolve("keys.json");
        Files.writeString(keys, "{ \"k1\": { \"algorithm\": \"hmac-sha256\", \"secret\": \"" + secret + "\" } }");
        Files.setPosixFilePermissions(keys, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Path wrong = dir.resolve("wrong.json");
        Files.writeString(wrong, "{ \"k1\": { \"secret\": \"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\" } }");
        Files.setPosixFilePermissions(wrong, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Path config = dir.resolve("dns-oops.json");
        Files.writeString(config, "{ \"listen\": [\"" + server + "\"], \"keys-file\": \"" + keys + "\","
                + " \"zones\": { \"k.test.\": { \"notify-key\": \"k1\" } } }");
        Path log = dir.resolve("daemon.log");
        Process daemon = new ProcessBuilder("java", "-jar", JAR.toString(), "run", "-c", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            Eventually.await(Duration.ofSeconds(30), "daemon listening", () -> read(log).contains("bridge-started raised"),
                    () -> read(log));
            Result signed = run("notify", "--server", server, "--key", "k1", "--keys-file", keys.toString(), "k.test.");
            assertEquals(0, signed.exit(), signed.out() + signed.err());
            assertEquals("k.test. NOERROR\n", signed.out());
            Result tcp = run("notify", "--tcp", "--server", server, "--key", "K1.", "-c", config.toString(), "k.test.");
            assertEquals(0, tcp.exit(), tcp.out() + tcp.err());
            assertEquals("k.test. NOERROR\n", tcp.out(), "the key from the config's keys-file, any case");

            Result unsigned = run("notify", "--server", server, "k.test.");
            assertEquals(1, unsigned.exit());
            assertEquals("k.test. NOTAUTH\n", unsigned.out());
            Result badSecret = run("notify", "--server", server, "--key", "k1", "--keys-file", wrong.toString(), "k.test.");
            assertEquals(1, badSecret.exit());
            assertEquals("k.test. NOTAUTH BADSIG (answer not signed with k1)\n", badSecret.out());

            Result noSuchKey = run("notify", "--server", server, "--key", "k2", "--keys-file", keys.toString(), "k.test.");
            assertEquals(2, noSuchKey.exit());
            assertEquals("notify: no TSIG key named \"k2\" in " + keys + "\n", noSuchKey.err());
            Files.setPosixFilePermissions(keys, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            Result readable = run("notify", "--server", server, "--key", "k1", "--keys-file", keys.toString(), "k.test.");
            assertEquals(2, readable.exit());
            assertTrue(readable.err().contains("readable by group or others"), readable.err());
        } finally {
            daemon.destroyForcibly();
        }
    }

    /**
     * The control path as an operator meets it, without an "http" section: status tells the truth
     * (exit 1 and valid JSON while a zone is not ready, the drain state always), drain reaches the
     * running daemon at once, a second daemon on the same control socket or drain file refuses to
     * start and leaves the first's socket alone, and when the first's socket is gone while it
     * runs, drain fails instead of writing a file the daemon would only read at its next start.
     */
    @Test
    void drainReachesTheRunningDaemonAndASecondDaemonNeitherStartsNorTakesItsSocket() throws Exception {
        Path socket = dir.resolve("control.sock");
        Path drainFile = dir.resolve("state/drained");
        Path config = writeConfig("dns-oops.json", FreePorts.next(), socket, drainFile);
        Path log = dir.resolve("daemon.log");
        Process daemon = start(config, log);
        try {
            Eventually.await(Duration.ofSeconds(30), "control socket open", () -> read(log).contains("control socket on"),
                    () -> read(log));
            // "a.test." has no primaries: not ready until a NOTIFY comes.
            Result status = run("status", "-c", config.toString());
            assertEquals(1, status.exit(), status.out() + status.err());
            assertTrue(status.out().contains("not drained") && status.out().matches("(?s).*a\\.test\\.\\s+failing.*"), status.out());
            assertTrue(status.out().matches("(?s).*a\\.test\\.\\s+failing\\s+-\\s+-\\s+-.*"),
                    "no check scheduled shows as \"-\", not decades ago:\n" + status.out());
            Result json = run("status", "--json", "-c", config.toString());
            assertEquals(1, json.exit(), json.err());
            JsonNode doc = new ObjectMapper().readTree(json.out());
            assertEquals("failing", doc.path("zones").get(0).path("state").asText(), json.out());
            assertFalse(doc.path("drained").asBoolean(true), json.out());

            Result drain = run("drain", "-c", config.toString());
            assertEquals(0, drain.exit(), drain.out() + drain.err());
            assertEquals("ok drained\n", drain.out(), "confirmed by the daemon, not written behind its back");
            Eventually.await(Duration.ofSeconds(5), "the daemon drained", () -> read(log).contains("drained by operator"),
                    () -> read(log));
            assertTrue(new ObjectMapper().readTree(run("status", "--json", "-c", config.toString()).out()).path("drained")
                    .asBoolean(), "status shows the drain without any route actuator");
            assertTrue(run("status", "-c", config.toString()).out().contains("DRAINED"));

            // Same control socket, own drain file and port: refuses, and the first keeps its socket.
            Path second = writeConfig("second.json", FreePorts.next(), socket, dir.resolve("second/drained"));
            Result refused = run("run", "-c", second.toString());
            assertEquals(2, refused.exit(), refused.out() + refused.err());
            assertTrue((refused.out() + refused.err()).contains("another dns-oops answers on " + socket), refused.err());
            assertTrue(Files.exists(socket), "the second daemon left the first's socket alone");
            Result still = run("status", "-c", config.toString());
            assertEquals(1, still.exit(), still.out() + still.err());
            assertTrue(still.out().contains("DRAINED"), still.out());

            // Same drain file, own socket: refuses too (drains of one would reach the other only at a restart).
            Path third = writeConfig("third.json", FreePorts.next(), dir.resolve("third.sock"), drainFile);
            Result refused3 = run("run", "-c", third.toString());
            assertEquals(2, refused3.exit(), refused3.out() + refused3.err());
            assertTrue((refused3.out() + refused3.err()).contains("another dns-oops runs with this drain-file"), refused3.err());

            // The daemon runs but its socket is gone: undrain must fail, not pretend it is not running.
            Files.delete(socket);
            Result lost = run("undrain", "-c", config.toString());
            assertEquals(2, lost.exit(), lost.out() + lost.err());
            assertTrue(lost.err().contains("dns-oops is running") && lost.err().contains("pid " + daemon.pid() + ",")
                    && lost.err().contains("does not answer"),
                    lost.err());
            assertTrue(Files.exists(drainFile), "the drain file is left for the running daemon");
            assertEquals(2, run("status", "-c", config.toString()).exit());

            daemon.destroyForcibly().waitFor(15, TimeUnit.SECONDS); // SIGKILL: the kernel drops the lock
            Result offline = run("undrain", "-c", config.toString());
            assertEquals(0, offline.exit(), offline.out() + offline.err());
            assertTrue(offline.out().startsWith("ok undrained (dns-oops not running"), offline.out());
            assertFalse(Files.exists(drainFile));
        } finally {
            daemon.destroyForcibly();
        }
    }

    @Test
    void aControlSocketThatCannotBeCreatedStopsTheStartWithTheFix() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("file"), "");
        Path config = writeConfig("dns-oops.json", FreePorts.next(), notADirectory.resolve("control.sock"),
                dir.resolve("state/drained"));
        Result r = run("run", "-c", config.toString());
        assertEquals(2, r.exit(), r.out() + r.err());
        assertTrue((r.out() + r.err()).contains("control-socket"), r.out() + r.err());
    }

    private Path writeConfig(String name, int port, Path socket, Path drainFile) throws IOException {
        return Files.writeString(dir.resolve(name), "{ \"listen\": [\"127.0.0.1@" + port + "\"], \"control-socket\": \""
                + socket + "\", \"drain-file\": \"" + drainFile + "\", \"zones\": { \"a.test.\": {} } }");
    }

    private static Process start(Path config, Path log) throws IOException {
        return new ProcessBuilder("java", "-jar", JAR.toString(), "run", "-c", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    static void signal(Process p, String sig) throws Exception {
        new ProcessBuilder("kill", "-" + sig, Long.toString(p.pid())).start().waitFor(5, TimeUnit.SECONDS);
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }
}
