package net.dnsoops.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.dnsoops.testsupport.DnsServer;
import net.dnsoops.testsupport.Eventually;
import net.dnsoops.testsupport.FreePorts;
import net.dnsoops.testsupport.InProcessCli;
import net.dnsoops.testsupport.LogCapture;
import net.dnsoops.testsupport.RunningDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ops HTTP API on a real daemon with a real NSD primary: what an operator reads in /status,
 * /metrics and /health follows what NSD does, control POSTs need the token, and the CLI's status
 * and refresh commands talk to the same API.
 */
class HttpIT {
    private static final String TOKEN = "test-token-0123456789";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void statusMetricsAndHealthFollowARealNsdPrimary() throws Exception {
        int port = RunningDaemon.choosePort();
        int httpPort = FreePorts.next();
        Path tokenFile = Files.writeString(dir.resolve("token"), TOKEN + "\n");
        String base = "http://127.0.0.1:" + httpPort;
        try (DnsServer nsd = new DnsServer(DnsServer.Kind.NSD, dir, port, DnsServer.Timers.DEFAULT, "nsd.test.")) {
            String body = "\"zones\": { \"nsd.test.\": { \"primaries\": [\"" + nsd.primary() + "\"] },"
                    + " \"missing.test.\": { \"primaries\": [\"127.0.0.1@" + FreePorts.next() + "\"], \"soa-timeout\": \"200ms\","
                    + " \"soa-tries\": 1, \"group\": \"other\" } },"
                    + "\"http\": { \"listen\": [\"127.0.0.1@" + httpPort + "\"], \"token-file\": \"" + tokenFile + "\" }";
            try (RunningDaemon d = RunningDaemon.start(dir.resolve("dns-oops"), port, body)) {
                // Before NSD runs: the zone cannot be verified, and /status says so.
                Eventually.await(Duration.ofSeconds(10), "first round done", () -> get(base + "/health").statusCode() == 200);
                JsonNode z = zone(getJson(base + "/status"), "nsd.test.");
                assertEquals("failing", z.path("state").asText(), z.toString());
                assertTrue(z.path("serial").isNull(), z.toString());
                double noerrorBefore = metric(get(base + "/metrics").body(),
                        "dns_oops_notify_responses_total{rcode=\"NOERROR\",transport=\"udp\"}");

                nsd.start(); // NSD notifies dns-oops at start
                Eventually.await(Duration.ofSeconds(15), "nsd.test. ready at serial 2024010101 in /status", () -> {
                    JsonNode s = zone(getJson(base + "/status"), "nsd.test.");
                    return s.path("state").asText().equals("ready") && s.path("serial").asLong() == 2024010101L;
                }, d::dump);
                nsd.setSerial("nsd.test.", 2024010102L);
                Eventually.await(Duration.ofSeconds(15), "serial 2024010102 in /status",
                        () -> zone(getJson(base + "/status"), "nsd.test.").path("serial").asLong() == 2024010102L, d::dump);

                JsonNode status = getJson(base + "/status");
                JsonNode zs = zone(status, "nsd.test.");
                assertEquals("127.0.0.1", zs.path("last-notifier").asText(), zs.toString());
                assertTrue(!zs.path("last-check").isNull() && !zs.path("next-check").isNull() && !zs.path("expires").isNull(),
                        zs.toString());
                assertEquals("failing", zone(status, "missing.test.").path("state").asText());
                JsonNode svc = service(status, "default");
                assertTrue(svc.path("ready").asBoolean(), status.toString());
                assertTrue(status.path("recent-conditions").toString().contains("\"zone-updated\""), status.toString());

                String metrics = get(base + "/metrics").body();
                double noerror = metric(metrics, "dns_oops_notify_responses_total{rcode=\"NOERROR\",transport=\"udp\"}");
                assertTrue(noerror >= noerrorBefore + 2, "NOERROR notifies rose from " + noerrorBefore + " to " + noerror);
                assertEquals(1.0, metric(metrics, "dns_oops_zones{state=\"ready\"}"), metrics);
                assertEquals(1.0, metric(metrics, "dns_oops_zones{state=\"failing\"}"), metrics);
                assertTrue(metric(metrics, "dns_oops_soa_check_duration_seconds_count{result=\"success\"}") >= 2, metrics);
                assertTrue(metric(metrics, "dns_oops_soa_check_failures_total") >= 1, metrics);
                assertTrue(metric(metrics, "dns_oops_hook_runs_total") >= 2, metrics);
                assertEquals(1.0, metric(metrics, "dns_oops_conditions_total{condition=\"zone-updated\",state=\"raised\"}"), metrics);

                HttpResponse<String> health = get(base + "/health");
                assertEquals(200, health.statusCode(), health.body());
                assertEquals(200, get(base + "/health/live").statusCode());

                // Services: "other" (missing.test.) is not ready; the rule answers 503 with which and why.
                HttpResponse<String> services = get(base + "/health/services");
                assertEquals(503, services.statusCode(), services.body());
                JsonNode sv = new ObjectMapper().readTree(services.body());
                assertEquals("other", sv.path("not-ready").get(0).path("service").asText(), services.body());
                assertEquals("1 of 1 zones not ready", sv.path("not-ready").get(0).path("reason").asText(), services.body());
                assertEquals(sv.path("not-ready"), status.path("readiness").path("not-ready"), "/status says the same");
                assertEquals(200, get(base + "/health/services/default").statusCode());
                assertEquals(503, get(base + "/health/services/other").statusCode());
                assertEquals(404, get(base + "/health/services/nope").statusCode());

                // Control: no token, wrong token, Origin header → refused; right token → done.
                assertEquals(401, post(base + "/control/refresh-zone?zone=nsd.test", null, null).statusCode());
                assertEquals(401, post(base + "/control/refresh-zone?zone=nsd.test", "wrong", null).statusCode());
                assertEquals(403, post(base + "/control/reload", TOKEN, "http://evil.example").statusCode());
                long checks = (long) metric(get(base + "/metrics").body(), "dns_oops_soa_checks_total");
                assertEquals(202, post(base + "/control/refresh-zone?zone=NSD.test", TOKEN, null).statusCode());
                Eventually.await(Duration.ofSeconds(5), "the refresh sent an SOA query",
                        () -> metric(get(base + "/metrics").body(), "dns_oops_soa_checks_total") > checks);
                assertEquals(404, post(base + "/control/refresh-zone?zone=unknown.test", TOKEN, null).statusCode());
                assertEquals(200, post(base + "/control/reload", TOKEN, null).statusCode());
                HttpResponse<String> drain = post(base + "/control/drain", TOKEN, null);
                assertEquals(200, drain.statusCode(), drain.body());
                assertTrue(drain.body().contains("ok drained"), drain.body());
                Eventually.await(Duration.ofSeconds(5), "drained: default not ready", () -> {
                    HttpResponse<String> h = get(base + "/health/services/default");
                    try {
                        return h.statusCode() == 503 && json.readTree(h.body()).path("reason").asText().equals("drained");
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, () -> get(base + "/health/services/default").body() + "\n" + d.dump());
                assertTrue(service(getJson(base + "/status"), "default").path("reason").asText().equals("drained"));
                assertEquals(200, post(base + "/control/undrain", TOKEN, null).statusCode());
                assertEquals(405, http.send(HttpRequest.newBuilder(URI.create(base + "/status")).DELETE().build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode());

                // The CLI reads the address and token from the same config file.
                Path config = dir.resolve("dns-oops/dns-oops.json");
                InProcessCli.Result st = cli("status", "-c", config.toString());
                assertEquals(1, st.exit(), st.out() + st.err()); // missing.test. is not ready: service other is not
                assertTrue(st.out().matches("(?s).*other\\s+no\\s+0/1\\s+1 of 1 zones not ready.*"), st.out());
                assertTrue(st.out().matches("(?s).*nsd\\.test\\.\\s+ready\\s+2024010102.*"), st.out());
                assertTrue(st.out().matches("(?s).*missing\\.test\\.\\s+failing.*"), st.out());
                InProcessCli.Result refresh = cli("refresh", "-c", config.toString(), "nsd.test.");
                assertEquals(0, refresh.exit(), refresh.err());
                assertEquals(0, cli("drain", "-c", config.toString()).exit(), "drain through the control socket");
                assertEquals(0, cli("undrain", "-c", config.toString()).exit());
                assertEquals(2, cli("status", "--url", "http://127.0.0.1:" + FreePorts.next()).exit());
            }
        }
    }

    @Test
    void protectReadsNeedsTheTokenExceptForThePageAndLoopbackMayControlWithout() throws Exception {
        int port = RunningDaemon.choosePort();
        int httpPort = FreePorts.next();
        String base = "http://127.0.0.1:" + httpPort;
        // slow.test.'s primary never answers: the first round lasts its 2 s SOA timeout.
        java.net.DatagramSocket silent = new java.net.DatagramSocket(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0));
        String body = "\"zones\": { \"a.test.\": {}, \"slow.test.\": { \"primaries\": [\"127.0.0.1@" + silent.getLocalPort()
                + "\"], \"soa-timeout\": \"2s\", \"soa-tries\": 1 } },"
                + " \"http\": { \"listen\": [\"127.0.0.1@" + httpPort + "\"],"
                + " \"token\": \"" + TOKEN + "\", \"protect-reads\": true, \"allow-unauthenticated-loopback\": true }";
        try (silent; RunningDaemon d = RunningDaemon.start(dir.resolve("dns-oops"), port, body)) {
            HttpResponse<String> starting = http.send(HttpRequest.newBuilder(URI.create(base + "/health"))
                    .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(503, starting.statusCode(), "not ready during the first round: " + starting.body());
            assertTrue(starting.body().contains("\"first-round-done\" : false"), starting.body());
            Eventually.await(Duration.ofSeconds(10), "ready after the first round", () -> {
                try {
                    return http.send(HttpRequest.newBuilder(URI.create(base + "/health")).header("Authorization", "Bearer " + TOKEN)
                            .build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
                } catch (Exception e) {
                    return false;
                }
            });
            assertEquals(401, get(base + "/status").statusCode());
            assertEquals(401, get(base + "/metrics").statusCode());
            HttpResponse<String> page = get(base + "/");
            assertEquals(200, page.statusCode(), "the page itself has no data and asks for the token");
            assertTrue(page.body().contains("id=\"token\""), page.body());
            assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'self'"));
            HttpResponse<String> withToken = http.send(HttpRequest.newBuilder(URI.create(base + "/status"))
                    .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, withToken.statusCode(), withToken.body());
            assertEquals("a.test.", json.readTree(withToken.body()).path("zones").get(0).path("zone").asText());
            // Loopback control without a token is allowed here; a browser's cross-site POST still is not.
            assertEquals(200, post(base + "/control/reload", null, null).statusCode());
            assertEquals(403, post(base + "/control/reload", null, "http://evil.example").statusCode());
        }
    }

    private static InProcessCli.Result cli(String... args) {
        return InProcessCli.run(args);
    }

    @Test
    void controlFailuresAreErrorStatusesWithTheReasonAndRefusalsAreLoggedAndExitAsRejected() throws Exception {
        int port = RunningDaemon.choosePort();
        int httpPort = FreePorts.next();
        String base = "http://127.0.0.1:" + httpPort;
        Path tokenFile = Files.writeString(dir.resolve("token"), TOKEN + "\n");
        Path wrongToken = Files.writeString(dir.resolve("wrong-token"), "not-the-token\n");
        Path home = dir.resolve("dns-oops");
        String body = "\"zones\": { \"a.test.\": {} },"
                + " \"http\": { \"listen\": [\"127.0.0.1@" + httpPort + "\"], \"token-file\": \"" + tokenFile + "\" }";
        try (LogCapture logs = new LogCapture(); RunningDaemon d = RunningDaemon.start(home, port, body)) {
            Path config = home.resolve("dns-oops.json");
            // The drain file cannot be written: a non-empty directory stands where it goes.
            Path drainFile = home.resolve("drained");
            Files.createDirectories(drainFile);
            Files.writeString(drainFile.resolve("in-the-way"), "");
            HttpResponse<String> drain = post(base + "/control/drain", TOKEN, null);
            assertEquals(500, drain.statusCode(), drain.body());
            assertTrue(drain.body().contains("cannot write drain-file " + drainFile), drain.body());
            assertTrue(!d.daemon().core().draining(), "a failed drain does not half-drain");
            InProcessCli.Result viaSocket = cli("drain", "-c", config.toString());
            assertEquals(1, viaSocket.exit(), viaSocket.toString());
            assertTrue(viaSocket.err().contains("cannot write drain-file"), viaSocket.toString());

            // A rejected reload: 422 with the reason, and the CLI shows it and exits 1.
            String good = Files.readString(config);
            Files.writeString(config, good.replace("\"a.test.\": {}", "\"a.test.\": { \"soa-tries\": -1 }"));
            HttpResponse<String> reload = post(base + "/control/reload", TOKEN, null);
            assertEquals(422, reload.statusCode(), reload.body());
            assertTrue(reload.body().contains(config + ":") && reload.body().contains("soa-tries"), reload.body());
            InProcessCli.Result rejected = cli("reload", "--url", base, "--token-file", tokenFile.toString());
            assertEquals(1, rejected.exit(), rejected.toString());
            assertTrue(rejected.err().contains("soa-tries"), rejected.toString());
            Files.writeString(config, good);

            // A token the daemon refuses is "rejected" (1), not "unreachable" (2), and the refusal is logged.
            InProcessCli.Result refused = cli("reload", "--url", base, "--token-file", wrongToken.toString());
            assertEquals(1, refused.exit(), refused.toString());
            assertTrue(refused.err().contains("HTTP 401"), refused.toString());
            assertTrue(logs.messages().stream().anyMatch(m -> m.contains("control reload from 127.0.0.1 refused (401)")),
                    logs.messages().toString());
            assertEquals(0, cli("reload", "--url", base, "--token-file", tokenFile.toString()).exit());
        }
    }

    @Test
    void hookCountersKeepCountingAcrossAReload() throws Exception {
        int httpPort = FreePorts.next();
        String base = "http://127.0.0.1:" + httpPort;
        String config = "{ \"listen\": [\"127.0.0.1@" + FreePorts.next() + "\"],"
                + " \"hooks\": [{ \"on\": [\"bridge-started\", \"draining\"], \"command\": [\"/bin/true\"] }],"
                + " \"zones\": { \"a.test.\": {} }, \"http\": { \"listen\": [\"127.0.0.1@" + httpPort + "\"] } }";
        net.dnsoops.daemon.Daemon d = net.dnsoops.testsupport.ConditionRecorder.start(dir, config,
                new net.dnsoops.testsupport.ConditionRecorder());
        try {
            String runs = "dns_oops_hook_runs_total";
            Eventually.await(Duration.ofSeconds(10), "bridge-started ran its hook", () -> metric(get(base + "/metrics").body(), runs) == 1);
            assertTrue(d.reload(), "reload");
            // The hook actuator was rebuilt: its own count starts again, the metric must not.
            assertEquals(1.0, metric(get(base + "/metrics").body(), runs), "no reset to 0 after the reload");
            d.control().drain();
            Eventually.await(Duration.ofSeconds(10), "draining ran its hook", () -> metric(get(base + "/metrics").body(), runs) == 2);
        } finally {
            d.close();
        }
    }

    private HttpResponse<String> get(String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(url + ": " + e, e);
        }
    }

    private HttpResponse<String> post(String url, String token, String origin) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.noBody());
        if (token != null) b.header("Authorization", "Bearer " + token);
        if (origin != null) b.header("Origin", origin);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode getJson(String url) {
        HttpResponse<String> r = get(url);
        assertEquals(200, r.statusCode(), r.body());
        try {
            return json.readTree(r.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode zone(JsonNode status, String name) {
        for (JsonNode z : status.path("zones")) if (z.path("zone").asText().equals(name)) return z;
        throw new AssertionError("no zone " + name + " in " + status);
    }

    private static JsonNode service(JsonNode status, String name) {
        for (JsonNode s : status.path("services")) if (s.path("service").asText().equals(name)) return s;
        throw new AssertionError("no service " + name + " in " + status);
    }

    /** The value of one exposition line, e.g. {@code dns_oops_zones{state="ready"}}; 0 if absent. */
    static double metric(String exposition, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(exposition);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
