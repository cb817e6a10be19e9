package net.dnsoops.input.serverzones;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import net.dnsoops.core.Condition;
import net.dnsoops.core.ConditionType;
import net.dnsoops.daemon.Daemon;
import net.dnsoops.testsupport.ConditionRecorder;
import net.dnsoops.testsupport.DnsServer;
import net.dnsoops.testsupport.Eventually;
import net.dnsoops.testsupport.FreePorts;
import net.dnsoops.testsupport.OwnControl;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A real NSD (its control channel on), Knot or BIND (its statistics channel on) serves two zones while dns-oops watches one: the
 * other is reported zone-unwatched within one interval, in /status (the component degraded,
 * naming the zone) and in /metrics. The server going away is a failed reading, not "the zone is
 * gone": the condition stays. Once a reload watches the zone too, the condition clears.
 */
class ServerZonesIT {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;

    String config(int notifyPort, int httpPort, DnsServer server, String... zones) {
        StringBuilder z = new StringBuilder();
        for (String zone : zones) {
            if (z.length() > 0) z.append(", ");
            z.append('"').append(zone).append("\": { \"primaries\": [\"").append(server.primary()).append("\"] }");
        }
        return "{ \"listen\": [\"127.0.0.1@" + notifyPort + "\"],"
                + " \"http\": { \"listen\": [\"127.0.0.1@" + httpPort + "\"], \"allow-unauthenticated-loopback\": true },"
                + " \"zones\": { " + z + " },"
                + " \"server-zones\": [ { \"server\": \"" + server.kind().name().toLowerCase() + "\", \"name\": \"local\","
                + "   \"control\": \"" + server.statsControl() + "\", \"interval\": \"1s\", \"timeout\": \"3s\" } ] }";
    }

    static String get(Daemon d, String path) throws Exception {
        InetSocketAddress a = d.httpAddresses().get(0);
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + a.getPort() + path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        return r.body();
    }

    static JsonNode component(Daemon d) throws Exception {
        for (JsonNode c : JSON.readTree(get(d, "/status")).get("components")) {
            if (c.get("name").asText().equals("server-zones")) return c;
        }
        throw new AssertionError("no server-zones component in /status");
    }

    /** The component's entry, or its failure as text (inside waits, which take no checked exceptions). */
    static String health(Daemon d) {
        try {
            return component(d).get("health").asText();
        } catch (Exception e) {
            return e.toString();
        }
    }

    static String entry(Daemon d) {
        try {
            return component(d).toString();
        } catch (Exception e) {
            return e.toString();
        }
    }

    static long unwatched(ConditionRecorder rec, boolean raised) {
        return rec.count(c -> c.type() == ConditionType.ZONE_UNWATCHED && c.raised() == raised
                && "forgot.test.".equals(c.zone()));
    }

    @ParameterizedTest
    @EnumSource(value = DnsServer.Kind.class, names = {"NSD", "KNOT", "BIND"})
    void aZoneServedButNotWatchedIsReportedUntilAReloadWatchesIt(DnsServer.Kind kind) throws Exception {
        int notifyPort = FreePorts.next();
        int httpPort = FreePorts.next();
        try (DnsServer server = DnsServer.start(kind, dir, notifyPort, "watched.test.", "forgot.test.")) {
            ConditionRecorder rec = new ConditionRecorder();
            Path oopsDir = dir.resolve("dns-oops");
            try (Daemon d = ConditionRecorder.start(oopsDir, config(notifyPort, httpPort, server, "watched.test."), rec)) {
                Eventually.await(Duration.ofSeconds(3), "zone-unwatched forgot.test. within one interval",
                        () -> unwatched(rec, true) == 1, rec::dump);
                Condition c = rec.first(x -> x.type() == ConditionType.ZONE_UNWATCHED).orElseThrow();
                assertEquals("local", c.source());
                assertEquals(0, rec.count(x -> x.type() == ConditionType.ZONE_UNWATCHED
                        && "watched.test.".equals(x.zone())), rec.dump());

                JsonNode comp = component(d);
                assertEquals("degraded", comp.get("health").asText(), comp.toString());
                assertTrue(comp.get("detail").asText().contains("forgot.test."), comp.toString());
                assertEquals(1, comp.get("zones-unwatched").asInt(), comp.toString());
                assertEquals(2, comp.get("servers").get("local").get("served").asInt(), comp.toString());
                assertTrue(get(d, "/metrics").contains("dns_oops_zones_unwatched{server=\"local\"} 1.0"),
                        "metric");

                // The server stops: its list cannot be read; that is a failure, not "every zone gone".
                server.stop();
                Eventually.await(Duration.ofSeconds(5), "health says the list cannot be read while the server is down",
                        () -> entry(d).contains("cannot read the zone list of local"), () -> entry(d));
                assertEquals("degraded", health(d), entry(d));
                assertTrue(component(d).get("detail").asText().contains("cannot read the zone list of local"),
                        component(d).toString());
                Eventually.sleep(1500); // more failed readings
                assertEquals(0, unwatched(rec, false), "not cleared by a failed reading: " + rec.dump());
                assertEquals(1, unwatched(rec, true), rec.dump());

                server.start();
                Files.writeString(oopsDir.resolve("dns-oops.json"), OwnControl.in(oopsDir,
                        config(notifyPort, httpPort, server, "watched.test.", "forgot.test.")));
                assertTrue(d.reload(), "reload");
                Eventually.await(Duration.ofSeconds(3), "zone-unwatched cleared by the reload",
                        () -> unwatched(rec, false) == 1, rec::dump);
                Eventually.await(Duration.ofSeconds(5), "health ok once read again",
                        () -> health(d).equals("ok"), () -> entry(d));
                assertEquals(1, unwatched(rec, true), "raised once: " + rec.dump());
            }
        }
    }
}
