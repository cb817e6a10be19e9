package net.dnsoops.actuator.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import net.dnsoops.testsupport.DnsServer;
import net.dnsoops.testsupport.Eventually;
import net.dnsoops.testsupport.FreePorts;
import net.dnsoops.testsupport.RunningDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's web API (the JDK's HTTP server on loopback) receives every condition with a valid
 * HMAC signature, and still gets everything after being down for a while: the daemon retried.
 */
class WebhookActuatorIT {
    private static final String SECRET = "s3cret-for-the-test";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final List<JsonNode> received = new CopyOnWriteArrayList<>();
    private final List<String> badSignatures = new CopyOnWriteArrayList<>();

    private HttpServer receiver(int port) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        s.createContext("/hook", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            String sig = ex.getRequestHeaders().getFirst("X-Dns-Oops-Signature");
            String want = WebhookActuator.signature(SECRET.getBytes(StandardCharsets.UTF_8), body);
            if (!want.equals(sig)) badSignatures.add(sig + " for " + new String(body, StandardCharsets.UTF_8));
            received.add(JSON.readTree(body));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        s.start();
        return s;
    }

    private long count(String condition, String state) {
        return received.stream().filter(n -> n.path("condition").asText().equals(condition)
                && n.path("state").asText().equals(state)).count();
    }

    private String dump() {
        return "received:\n" + String.join("\n", received.stream().map(JsonNode::toString).toList())
                + "\nbad signatures: " + badSignatures;
    }

    @Test
    void everyConditionArrivesSignedAndSurvivesADownReceiver() throws Exception {
        int port = RunningDaemon.choosePort();
        int webPort = FreePorts.next();
        HttpServer web = receiver(webPort);
        DnsServer nsd = DnsServer.start(DnsServer.Kind.NSD, dir, port, "hook.test.");
        String body = "\"site\": \"ams1\","
                + "\"webhook\": { \"urls\": [\"http://127.0.0.1:" + webPort + "/hook\"], \"secret\": \"" + SECRET + "\","
                + " \"retry-backoff\": \"100ms\", \"max-backoff\": \"500ms\", \"timeout\": \"2s\" },"
                + "\"zones\": { \"hook.test.\": { \"primaries\": [\"" + nsd.primary() + "\"], \"last-octet\": 4 } }";
        try (nsd; RunningDaemon d = RunningDaemon.start(dir.resolve("dns-oops"), port, body)) {
            Eventually.await(Duration.ofSeconds(10), "zone-ready and service-ready by webhook",
                    () -> count("zone-ready", "raised") == 1 && count("service-ready", "raised") == 1, this::dump);
            assertEquals(1, count("bridge-started", "raised"), dump());
            JsonNode ready = received.stream().filter(n -> n.path("condition").asText().equals("zone-ready"))
                    .findFirst().orElseThrow();
            assertEquals("hook.test.", ready.path("zone").asText());
            assertEquals(2024010101L, ready.path("serial").asLong());
            assertEquals("ams1", ready.path("site").asText());
            assertEquals("default", ready.path("service").asText());
            assertEquals("4", ready.path("fields").path("last-octet").asText());
            assertTrue(ready.path("time").asText().endsWith("Z"), dump());

            // The receiver goes away; the zone changes twice meanwhile.
            web.stop(0);
            nsd.setSerial("hook.test.", 2024010102L);
            Eventually.await(Duration.ofSeconds(10), "first update verified",
                    () -> d.count("zone-updated:raised hook.test. 2024010102") == 1, d::dump);
            nsd.setSerial("hook.test.", 2024010103L);
            Eventually.await(Duration.ofSeconds(10), "second update verified",
                    () -> d.count("zone-updated:raised hook.test. 2024010103") == 1, d::dump);
            Eventually.sleep(1500); // a few failed retries
            assertEquals(0, count("zone-updated", "raised"), dump());

            web = receiver(webPort);
            Eventually.await(Duration.ofSeconds(10), "both updates after the receiver came back",
                    () -> count("zone-updated", "raised") == 2, this::dump);
            List<JsonNode> updates = received.stream()
                    .filter(n -> n.path("condition").asText().equals("zone-updated")).toList();
            assertEquals(2024010101L, updates.get(0).path("old-serial").asLong(), dump());
            assertEquals(2024010102L, updates.get(0).path("serial").asLong(), dump());
            assertEquals(2024010103L, updates.get(1).path("serial").asLong(), dump());
            assertEquals("127.0.0.1", updates.get(0).path("source").asText(), dump());
        } finally {
            try { // bridge-stopping is delivered during close; the assertion below says if it was not
                Eventually.await(Duration.ofSeconds(5), "bridge-stopping", () -> count("bridge-stopping", "raised") > 0);
            } catch (AssertionError notYet) {
                // reported below, without hiding a failure of the test body
            }
            web.stop(0);
        }
        assertEquals(1, count("bridge-stopping", "raised"), dump());
        assertTrue(badSignatures.isEmpty(), dump());
        // Nothing lost, nothing duplicated: sequence numbers 1..n in order.
        List<Long> seq = received.stream().map(n -> n.path("sequence").asLong()).toList();
        for (int i = 0; i < seq.size(); i++) assertEquals(i + 1, seq.get(i), "sequence gap or repeat: " + dump());
    }
}
