package net.dnsoops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import net.dnsoops.daemon.InstanceLock;
import net.dnsoops.testsupport.InProcessCli;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How drain, undrain and status decide when the control socket does not answer: the drain file
 * is changed only when no daemon holds the instance lock; otherwise the command fails with the
 * reason and leaves the file alone.
 */
class ControlClientTest {
    @TempDir
    Path dir;
    Path config;
    Path drainFile;

    @BeforeEach
    void config() throws Exception {
        drainFile = dir.resolve("state/drained");
        config = Files.writeString(dir.resolve("dns-oops.json"), "{ \"control-socket\": \"" + dir.resolve("control.sock")
                + "\", \"drain-file\": \"" + drainFile + "\", \"zones\": { \"a.test.\": {} } }");
    }

    @Test
    void withNoDaemonHoldingTheLockDrainAndUndrainChangeTheFile() throws Exception {
        InProcessCli.Result drain = InProcessCli.run("drain", "-c", config.toString());
        assertEquals(0, drain.exit(), drain.toString());
        assertTrue(drain.out().startsWith("ok drained (dns-oops not running"), drain.toString());
        assertTrue(Files.exists(drainFile));
        assertFalse(Files.exists(InstanceLock.pathFor(drainFile)), "the CLI never creates the lock file (root's would block the daemon)");

        InProcessCli.Result status = InProcessCli.run("status", "--json", "-c", config.toString());
        assertEquals(2, status.exit(), status.toString());
        JsonNode s = new ObjectMapper().readTree(status.out());
        assertFalse(s.path("running").asBoolean(true), status.out());
        assertTrue(s.path("drained").asBoolean(), status.out());

        InProcessCli.Result undrain = InProcessCli.run("undrain", "-c", config.toString());
        assertEquals(0, undrain.exit(), undrain.toString());
        assertFalse(Files.exists(drainFile));
    }

    @Test
    void aDaemonHoldingTheLockWithASilentSocketIsAnErrorAndTheFileIsLeftAlone() throws Exception {
        try (InstanceLock held = InstanceLock.acquire(InstanceLock.pathFor(drainFile), "pid 4242, control-socket "
                + dir.resolve("control.sock"), Duration.ZERO)) {
            InProcessCli.Result drain = InProcessCli.run("drain", "-c", config.toString());
            assertEquals(2, drain.exit(), drain.toString());
            assertTrue(drain.err().contains("dns-oops is running") && drain.err().contains("pid 4242")
                    && drain.err().contains(dir.resolve("control.sock").toString()), drain.toString());
            assertFalse(Files.exists(drainFile), "no drain file a running daemon would only see at its next start");

            Files.writeString(drainFile, "drained earlier\n");
            InProcessCli.Result undrain = InProcessCli.run("undrain", "-c", config.toString());
            assertEquals(2, undrain.exit(), undrain.toString());
            assertTrue(Files.exists(drainFile));

            InProcessCli.Result status = InProcessCli.run("status", "--json", "-c", config.toString());
            assertEquals(2, status.exit(), status.toString());
            assertTrue(new ObjectMapper().readTree(status.out()).path("error").asText().contains("does not answer"), status.out());
            assertTrue(InProcessCli.run("status", "-c", config.toString()).err().contains("dns-oops is running"));
        }
    }

    @Test
    void aBrokenConfigIsReportedNotTakenForNoDaemon() throws Exception {
        Files.writeString(config, "{ \"zones\": ");
        InProcessCli.Result drain = InProcessCli.run("drain", "-c", config.toString());
        assertEquals(2, drain.exit(), drain.toString());
        assertTrue(drain.err().contains(config.toString()), drain.toString());
        InProcessCli.Result status = InProcessCli.run("status", "--json", "-c", config.toString());
        assertEquals(2, status.exit(), status.toString());
        assertTrue(new ObjectMapper().readTree(status.out()).has("error"), status.out());
    }
}
