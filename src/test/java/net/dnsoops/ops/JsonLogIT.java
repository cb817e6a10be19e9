package net.dnsoops.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.dnsoops.testsupport.OwnControl;
import net.dnsoops.testsupport.Eventually;
import net.dnsoops.testsupport.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** "log-format": "json" on the packaged jar: every stderr line is a JSON object; conditions and hook runs carry zone and service. */
class JsonLogIT {
    static final Path JAR = Paths.get("target/dns-oops.jar").toAbsolutePath();

    @TempDir
    Path dir;

    @Test
    void conditionsAndHookRunsAreJsonLinesWithZoneAndService() throws Exception {
        int port = FreePorts.next();
        Path config = Files.writeString(dir.resolve("dns-oops.json"), OwnControl.in(dir, "{ ") + "\"listen\": [\"127.0.0.1@" + port + "\"],"
                + " \"log-format\": \"json\","
                + " \"zones\": { \"down.test.\": { \"primaries\": [\"127.0.0.1@" + FreePorts.next() + "\"],"
                + " \"soa-timeout\": \"200ms\", \"soa-tries\": 1, \"refresh-failures\": 1, \"group\": \"web\" } },"
                + " \"hooks\": [ { \"on\": [\"zone-refresh-failed\"], \"command\": [\"true\"] } ] }");
        Path log = dir.resolve("stderr.log");
        ProcessBuilder pb = new ProcessBuilder("java", "-jar", JAR.toString(), "run", "-c", config.toString())
                .redirectOutput(dir.resolve("stdout.log").toFile()).redirectError(log.toFile());
        pb.environment().remove("DNS_OOPS_LOG_FORMAT");
        Process p = pb.start();
        try {
            Eventually.await(Duration.ofSeconds(20), "a hook run logged", () -> read(log).contains("hook ran"), () -> read(log));
        } finally {
            new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor(5, TimeUnit.SECONDS);
            if (!p.waitFor(15, TimeUnit.SECONDS)) p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> lines = new ArrayList<>();
        for (String l : Files.readAllLines(log)) {
            if (l.isBlank()) continue;
            JsonNode n = json.readTree(l); // throws if a line is not JSON
            assertTrue(n.isObject() && n.has("time") && n.has("level") && n.has("message"), l);
            lines.add(n);
        }
        JsonNode failed = lines.stream().filter(n -> n.path("condition").asText().equals("zone-refresh-failed"))
                .findFirst().orElseThrow(() -> new AssertionError("no zone-refresh-failed line:\n" + read(log)));
        assertEquals("raised", failed.path("state").asText());
        assertEquals("down.test.", failed.path("zone").asText());
        assertEquals("web", failed.path("service").asText());
        JsonNode hook = lines.stream().filter(n -> n.path("actuator").asText().equals("hooks"))
                .findFirst().orElseThrow(() -> new AssertionError("no hook line:\n" + read(log)));
        assertEquals("ran", hook.path("action").asText());
        assertEquals("down.test.", hook.path("zone").asText());
        assertEquals("web", hook.path("service").asText());
        assertTrue(lines.stream().anyMatch(n -> n.path("condition").asText().equals("bridge-stopping")), read(log));
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (Exception e) {
            return "";
        }
    }
}
