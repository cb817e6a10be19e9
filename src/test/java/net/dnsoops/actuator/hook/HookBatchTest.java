package net.dnsoops.actuator.hook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.dnsoops.testsupport.Eventually;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Batching hooks: many conditions per run, as JSON lines on stdin, in order, none lost. */
class HookBatchTest {
    @TempDir
    Path dir;

    private HookConfig batching(String script, int size, Duration wait) {
        HookConfig h = new HookConfig();
        h.on = List.of(HookTrigger.parse("zone-updated"));
        h.command = List.of("/bin/sh", "-c", script, "hook", "{count}");
        h.retries = 0;
        h.batchSize = size;
        h.batchWait = wait;
        return h;
    }

    @Test
    void fullBatchesRunAtOnceAndTheRestAfterTheWait() throws Exception {
        Path out = dir.resolve("out");
        Path runs = dir.resolve("runs");
        // each run appends its stdin to out and "<count> <env count>" to runs
        HookActuator a = new HookActuator(List.of(batching("cat >> " + out + "; echo \"$1 $DNS_OOPS_COUNT\" >> " + runs,
                100, Duration.ofMillis(300))), 4, "ams1");
        for (int i = 1; i <= 250; i++) a.apply(HookActuatorTest.updated("z" + i + ".test.", 1000 + i));
        Eventually.await(Duration.ofSeconds(10), "250 conditions run", () -> lines(out).size() == 250);
        Eventually.await(Duration.ofSeconds(5), "runs finished", () -> a.pending() == 0);
        assertEquals(List.of("100 100", "100 100", "50 50"), lines(runs), "two full batches, then the rest after batch-wait");
        ObjectMapper json = new ObjectMapper();
        List<String> zones = new ArrayList<>();
        for (String line : lines(out)) {
            JsonNode n = json.readTree(line);
            assertEquals("zone-updated", n.get("condition").asText());
            assertEquals("ams1", n.get("site").asText());
            assertEquals(n.get("zone").asText().replaceAll("\\D", ""), Long.toString(n.get("serial").asLong() - 1000));
            zones.add(n.get("zone").asText());
        }
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= 250; i++) expected.add("z" + i + ".test.");
        assertEquals(expected, zones, "every condition once, in order");
        a.close();
    }

    @Test
    void aFailedBatchIsRetriedWhole() throws Exception {
        Path out = dir.resolve("out");
        Path tries = dir.resolve("tries");
        HookConfig h = batching("echo x >> " + tries + "; [ $(wc -l < " + tries + ") -ge 2 ] && cat >> " + out, 10,
                Duration.ofMillis(50));
        h.retries = 2;
        h.retryBackoff = Duration.ofMillis(50);
        HookActuator a = new HookActuator(List.of(h), 2, null);
        for (int i = 1; i <= 3; i++) a.apply(HookActuatorTest.updated("r" + i + ".test.", i));
        Eventually.await(Duration.ofSeconds(10), "batch retried", () -> a.pending() == 0);
        assertEquals(2, lines(tries).size());
        assertEquals(3, lines(out).size());
        assertTrue(a.health().status() == net.dnsoops.core.Health.Status.OK);
        a.close();
    }

    @Test
    void closeRunsAHalfFullBatch() throws Exception {
        Path out = dir.resolve("out");
        HookActuator a = new HookActuator(List.of(batching("cat >> " + out, 1000, Duration.ofHours(1))), 2, null);
        a.apply(HookActuatorTest.updated("last.test.", 7));
        a.close();
        assertEquals(1, lines(out).size());
    }

    private static List<String> lines(Path p) {
        try {
            return Files.exists(p) ? Files.readAllLines(p) : List.of();
        } catch (java.io.IOException e) {
            return List.of();
        }
    }
}
