package net.dnsoops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        Files.writeString(config, "{ \"listen\": [\"" + server + "\"], \"zones\": { \"a.test.\": {} } }");
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

            Files.writeString(config, "{ \"listen\": [\"" + server + "\"], \"zones\": { \"a.test.\": {}, \"b.test.\": {} } }");
            signal(daemon, "HUP");
            Eventually.await(Duration.ofSeconds(10), "reloaded", () -> read(log).contains("reloaded"), () -> read(log));
            assertEquals(0, run("notify", "--server", server, "b.test.").exit(), "zone added without a restart");

            Files.writeString(config, "{ \"listen\": [\"" + server + "\"], \"zones\": { \"b.test.\": { \"soa-tries\": -1 } } }");
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
