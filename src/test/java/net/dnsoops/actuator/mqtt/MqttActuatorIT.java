package net.dnsoops.actuator.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import net.dnsoops.config.ConfigLoader;
import net.dnsoops.core.Condition;
import net.dnsoops.core.ConditionType;
import net.dnsoops.ops.Control;
import net.dnsoops.testsupport.DnsServer;
import net.dnsoops.testsupport.Eventually;
import net.dnsoops.testsupport.Mosquitto;
import net.dnsoops.testsupport.MqttSubscriber;
import net.dnsoops.testsupport.MqttSubscriber.Received;
import net.dnsoops.testsupport.RunningDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real mosquitto broker with password authentication; dns-oops publishes to it. A subscriber
 * that connects late sees the retained state of the zone, its service and the site at once; a
 * control message is answered; after dns-oops is SIGKILLed the last will marks the site down.
 */
class MqttActuatorIT {
    static final Path JAR = Paths.get("target/dns-oops.jar").toAbsolutePath();

    @TempDir
    Path dir;

    private String config(int port, DnsServer nsd, Mosquitto broker) {
        return "{ \"listen\": [\"127.0.0.1@" + port + "\"], \"site\": \"site1\",\n"
                + " \"control-socket\": \"" + dir.resolve("control.sock") + "\", \"drain-file\": \"" + dir.resolve("drained")
                + "\",\n"
                + " \"mqtt\": { \"broker\": \"" + broker.uri() + "\", \"username\": \"" + Mosquitto.USER + "\","
                + " \"password\": \"" + Mosquitto.PASSWORD + "\", \"control\": true, \"keep-alive\": \"2s\","
                + " \"retry-backoff\": \"200ms\", \"max-backoff\": \"1s\" },\n"
                + " \"zones\": { \"mqtt.test.\": { \"primaries\": [\"" + nsd.primary() + "\"], \"group\": \"web\" } } }\n";
    }

    @Test
    void retainedStateControlAndLastWillWithTheRealJar() throws Exception {
        assertTrue(Files.exists(JAR), "run after package: " + JAR);
        int port = RunningDaemon.choosePort();
        try (Mosquitto broker = new Mosquitto(dir);
             DnsServer nsd = DnsServer.start(DnsServer.Kind.NSD, dir, port, "mqtt.test.")) {
            broker.start();
            Path cfg = dir.resolve("dns-oops.json");
            Files.writeString(cfg, config(port, nsd, broker));
            Path log = dir.resolve("dns-oops.log");
            Process daemon = new ProcessBuilder("java", "-jar", JAR.toString(), "run", "-c", cfg.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try (MqttSubscriber live = new MqttSubscriber(broker.uri(), "monitor-live", "dns-oops/#")) {
                java.util.function.Supplier<String> ctx = () -> live.dump() + "\n" + tail(log) + "\n" + broker.logTail();
                String zoneTopic = "dns-oops/site1/zone/mqtt.test";
                String serviceTopic = "dns-oops/site1/service/web";
                String statusTopic = "dns-oops/site1/status";
                Eventually.await(Duration.ofSeconds(20), "zone-ready and service-ready published",
                        () -> holds(live.last(zoneTopic), "zone-ready") && holds(live.last(serviceTopic), "service-ready"),
                        ctx);

                // A monitor that connects now sees the whole site at once, from retained messages.
                try (MqttSubscriber late = new MqttSubscriber(broker.uri(), "monitor-late", "dns-oops/site1/#")) {
                    Eventually.await(Duration.ofSeconds(5), "retained zone, service and status",
                            () -> late.last(zoneTopic) != null && late.last(serviceTopic) != null
                                    && late.last(statusTopic) != null, late::dump);
                    Received z = late.last(zoneTopic);
                    assertTrue(z.retained(), late.dump());
                    assertEquals("zone-ready", z.json().path("condition").asText(), late.dump());
                    assertEquals(2024010101L, z.json().path("serial").asLong(), late.dump());
                    assertEquals("site1", z.json().path("site").asText(), late.dump());
                    assertEquals("mqtt.test.", z.json().path("zone").asText(), late.dump());
                    assertTrue(late.last(serviceTopic).retained(), late.dump());
                    assertEquals("service-ready", late.last(serviceTopic).json().path("condition").asText());
                    assertEquals("up", late.last(statusTopic).json().path("state").asText(), late.dump());
                }

                // An update is published too (and becomes the retained state).
                nsd.setSerial("mqtt.test.", 2024010102L);
                Eventually.await(Duration.ofSeconds(10), "zone-updated published",
                        () -> live.count(r -> r.topic().equals(zoneTopic)
                                && r.json().path("condition").asText().equals("zone-updated")
                                && r.json().path("serial").asLong() == 2024010102L
                                && r.json().path("old-serial").asLong() == 2024010101L) == 1, ctx);
                assertTrue(holds(live.last(zoneTopic), "zone-ready"), live.dump());

                // Drain from central: the daemon's drain (as "dns-oops drain" does) takes effect -
                // the drain file appears - and the answer comes back on control/result.
                live.publish("dns-oops/site1/control", "drain");
                Eventually.await(Duration.ofSeconds(10), "control result",
                        () -> live.last("dns-oops/site1/control/result") != null, ctx);
                Received res = live.last("dns-oops/site1/control/result");
                assertEquals("drain", res.json().path("command").asText(), live.dump());
                assertTrue(res.json().path("accepted").asBoolean(), live.dump());
                assertEquals("ok drained", res.json().path("detail").asText(), live.dump());
                assertTrue(Files.exists(dir.resolve("drained")), "drain file written");
                live.publish("dns-oops/site1/control", "{\"command\": \"undrain\"}");
                Eventually.await(Duration.ofSeconds(10), "undrain result", () -> live.count(
                        r -> r.topic().endsWith("/control/result") && r.json().path("command").asText().equals("undrain")
                                && r.json().path("accepted").asBoolean()) == 1, ctx);
                assertFalse(Files.exists(dir.resolve("drained")), "drain file removed");

                // SIGKILL: no clean disconnect, so the broker publishes the last will.
                daemon.destroyForcibly();
                assertTrue(daemon.waitFor(10, TimeUnit.SECONDS));
                Eventually.await(Duration.ofSeconds(10), "last will: site down",
                        () -> live.last(statusTopic) != null
                                && live.last(statusTopic).json().path("state").asText().equals("down"), ctx);
                assertEquals("connection lost", live.last(statusTopic).json().path("reason").asText());
                try (MqttSubscriber after = new MqttSubscriber(broker.uri(), "monitor-after", statusTopic)) {
                    Eventually.await(Duration.ofSeconds(5), "retained down status",
                            () -> after.last(statusTopic) != null, after::dump);
                    assertEquals("down", after.last(statusTopic).json().path("state").asText(), after.dump());
                }
            } finally {
                if (daemon.isAlive()) daemon.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * The actuator on its own, with a recording {@link Control} standing in for the daemon's:
     * drain/undrain reach it and are acknowledged; a second actuator for the same broker and site
     * (what a SIGHUP reload builds) still knows what holds; a clean stop marks the site down.
     */
    @Test
    void controlTopicCallsTheDaemonsControlAndStateSurvivesANewActuator() throws Exception {
        List<String> calls = new CopyOnWriteArrayList<>();
        Control recording = new Control() {
            @Override
            public void reload() {
                throw new IllegalArgumentException("not in this test");
            }

            @Override
            public boolean refreshZone(org.xbill.DNS.Name zone) {
                return false;
            }

            @Override
            public String drain() {
                calls.add("drain");
                return "draining";
            }

            @Override
            public String undrain() {
                calls.add("undrain");
                return "in service";
            }
        };
        try (Mosquitto broker = new Mosquitto(dir)) {
            broker.start();
            MqttConfig cfg = ConfigLoader.parse("{\"mqtt\": {\"broker\": \"" + broker.uri() + "\", \"username\": \""
                    + Mosquitto.USER + "\", \"password\": \"" + Mosquitto.PASSWORD + "\", \"control\": true,"
                    + " \"retry-backoff\": \"200ms\"}}", "t").mqtt;
            String zoneTopic = "dns-oops/site2/zone/example.com";
            try (MqttSubscriber live = new MqttSubscriber(broker.uri(), "monitor", "dns-oops/#")) {
                MqttActuator first = new MqttActuator(cfg, "site2", recording);
                first.start();
                first.apply(Condition.bridge(ConditionType.BRIDGE_STARTED, true, Instant.now()));
                first.apply(zone(ConditionType.ZONE_READY, 1));
                Eventually.await(Duration.ofSeconds(10), "status up and zone ready",
                        () -> holds(live.last(zoneTopic), "zone-ready") && live.last("dns-oops/site2/status") != null,
                        live::dump);
                live.publish("dns-oops/site2/control", "{\"command\": \"drain\"}");
                Eventually.await(Duration.ofSeconds(10), "drain called", () -> calls.size() == 1, live::dump);
                live.publish("dns-oops/site2/control", "undrain");
                Eventually.await(Duration.ofSeconds(10), "undrain called", () -> calls.size() == 2, live::dump);
                assertEquals(List.of("drain", "undrain"), calls);
                Eventually.await(Duration.ofSeconds(5), "two accepted results",
                        () -> live.count(r -> r.topic().endsWith("/control/result")
                                && r.json().path("accepted").asBoolean()) == 2, live::dump);
                assertEquals("draining", live.received().stream().filter(r -> r.topic().endsWith("/control/result"))
                        .findFirst().orElseThrow().json().path("detail").asText());

                // A reload builds a new actuator: it still knows the zone is ready.
                MqttActuator second = new MqttActuator(cfg, "site2", recording);
                first.close();
                second.start();
                second.apply(zone(ConditionType.ZONE_UPDATED, 2));
                Eventually.await(Duration.ofSeconds(10), "update from the new actuator", () -> {
                    Received z = live.last(zoneTopic);
                    return z != null && z.json().path("condition").asText().equals("zone-updated");
                }, live::dump);
                assertTrue(holds(live.last(zoneTopic), "zone-ready"), live.dump());
                Eventually.await(Duration.ofSeconds(5), "site up again", () -> "up".equals(
                        live.last("dns-oops/site2/status").json().path("state").asText()), live::dump);

                second.apply(Condition.bridge(ConditionType.BRIDGE_STOPPING, true, Instant.now()));
                second.close();
                Eventually.await(Duration.ofSeconds(5), "clean stop: down/stopped",
                        () -> "stopped".equals(live.last("dns-oops/site2/status").json().path("reason").asText()),
                        live::dump);
                assertNotNull(live.received().stream()
                        .filter(r -> r.json().path("state").asText().equals("stopping")).findFirst().orElse(null),
                        live.dump());
            }
        }
    }

    private static Condition zone(ConditionType type, long serial) {
        return new Condition(type, true, Instant.now(), "example.com.", "web", serial, serial - 1, "127.0.0.1",
                java.util.Map.of(), "");
    }

    /** The broker over TLS (ssl://, a test CA in "ca-file") with username and password. */
    @Test
    void publishesOverTlsTrustingTheConfiguredCa() throws Exception {
        int port = RunningDaemon.choosePort();
        try (Mosquitto broker = new Mosquitto(dir)) {
            Path ca = broker.withTls();
            broker.start();
            String body = "\"site\": \"tls1\", \"mqtt\": { \"broker\": \"" + broker.tlsUri() + "\", \"ca-file\": \"" + ca
                    + "\", \"username\": \"" + Mosquitto.USER + "\", \"password\": \"" + Mosquitto.PASSWORD + "\" },"
                    + " \"zones\": {}";
            try (MqttSubscriber plain = new MqttSubscriber(broker.uri(), "monitor-tls", "dns-oops/#");
                 RunningDaemon d = RunningDaemon.start(dir.resolve("dns-oops"), port, body)) {
                Eventually.await(Duration.ofSeconds(15), "status up over TLS",
                        () -> plain.last("dns-oops/tls1/status") != null
                                && plain.last("dns-oops/tls1/status").json().path("state").asText().equals("up"),
                        () -> plain.dump() + "\n" + broker.logTail());
            }
        }
    }

    private static boolean holds(Received r, String condition) {
        if (r == null) return false;
        for (var n : r.json().path("holding")) if (n.asText().equals(condition)) return true;
        return false;
    }

    private static String tail(Path log) {
        try {
            List<String> l = Files.readAllLines(log);
            return "dns-oops log:\n" + String.join("\n", l.subList(Math.max(0, l.size() - 40), l.size()));
        } catch (Exception e) {
            return "no log";
        }
    }
}
