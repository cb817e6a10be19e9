package net.dnsoops.actuator.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import net.dnsoops.actuator.Outbox;
import net.dnsoops.config.ConfigException;
import net.dnsoops.config.ConfigLoader;
import net.dnsoops.config.DnsOopsConfig;
import net.dnsoops.testsupport.Eventually;
import org.junit.jupiter.api.Test;

class WebhookActuatorTest {
    @Test
    void signatureIsHmacSha256HexLikeRfc4231() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?"
        assertEquals("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
                WebhookActuator.signature("Jefe".getBytes(StandardCharsets.UTF_8),
                        "what do ya want for nothing?".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void configDefaultsAndErrors() throws Exception {
        DnsOopsConfig c = ConfigLoader.parse("{\"webhook\": {\"urls\": [\"https://example.net/x\"]}}", "t.json");
        assertEquals(1000, c.webhook.queueSize);
        assertEquals(Duration.ofSeconds(5), c.webhook.timeout);
        assertTrue(c.webhook.enabled());
        assertTrue(!ConfigLoader.parse("{}", "t.json").webhook.enabled());
        String e = error("{\"webhook\": {\"urls\": [\"ftp://example.net/\"]}}");
        assertTrue(e.contains("t.json:1:") && e.contains("http:// or https://"), e);
        e = error("{\"webhook\": {\"urls\": [], \"secrett\": \"x\"}}");
        assertTrue(e.contains("unknown key \"secrett\""), e);
        e = error("{\"webhook\": {\"secret\": \"a\", \"secret-file\": \"/b\"}}");
        assertTrue(e.contains("not both"), e);
        e = error("{\"site\": \"a/b\"}");
        assertTrue(e.contains("\"site\""), e);
    }

    private static String error(String text) {
        try {
            ConfigLoader.parse(text, "t.json");
        } catch (ConfigException e) {
            return e.getMessage();
        }
        throw new AssertionError("no error for " + text);
    }

    @Test
    void outboxRetriesInOrderAndDropsTheOldestWhenFull() {
        List<String> got = new CopyOnWriteArrayList<>();
        AtomicInteger failuresLeft = new AtomicInteger(3);
        Outbox<String> box = new Outbox<>("test", 3, Duration.ofMillis(10), Duration.ofMillis(40), s -> {
            if (failuresLeft.getAndDecrement() > 0) throw new IllegalStateException("down");
            got.add(s);
        });
        box.start();
        box.offer("a");
        box.offer("b");
        Eventually.await(Duration.ofSeconds(5), "a and b", () -> got.size() == 2);
        assertEquals(List.of("a", "b"), got);

        // Fill beyond the bound while delivery fails: the oldest go.
        failuresLeft.set(1_000_000);
        for (String s : List.of("c", "d", "e", "f", "g")) box.offer(s);
        assertEquals(2, box.dropped());
        failuresLeft.set(0);
        Eventually.await(Duration.ofSeconds(5), "the newest three", () -> got.size() == 5);
        assertEquals(List.of("a", "b", "e", "f", "g"), got);
        box.close();
    }

    /** A receiver that keeps refusing is a failed component, not "ok" or a hiccup; one delivery makes it ok again. */
    @Test
    void aWebhookThatKeepsFailingReportsFailedHealth() throws Exception {
        int dead;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            dead = s.getLocalPort(); // closed again: connections are refused
        }
        DnsOopsConfig c = ConfigLoader.parse("{\"webhook\": {\"urls\": [\"http://127.0.0.1:" + dead
                + "/hook\"], \"retry-backoff\": \"1ms\", \"max-backoff\": \"2ms\"}}", "t.json");
        WebhookActuator a = new WebhookActuator(c.webhook, "site");
        a.start();
        try {
            assertEquals(net.dnsoops.core.Health.Status.OK, a.health().status(), a.health().detail());
            a.apply(net.dnsoops.core.Condition.bridge(net.dnsoops.core.ConditionType.BRIDGE_STARTED, true,
                    java.time.Instant.now()));
            Eventually.await(Duration.ofSeconds(10), "failed after " + Outbox.FAILED_AFTER + " attempts in a row",
                    () -> a.health().status() == net.dnsoops.core.Health.Status.FAILED);
            assertTrue(a.health().detail().contains("in a row"), a.health().detail());
        } finally {
            a.close();
        }

        java.util.concurrent.atomic.AtomicBoolean up = new java.util.concurrent.atomic.AtomicBoolean();
        Outbox<String> box = new Outbox<>("test", 10, Duration.ofMillis(1), Duration.ofMillis(2), x -> {
            if (!up.get()) throw new IllegalStateException("refused");
        });
        box.start();
        box.offer("x");
        Eventually.await(Duration.ofSeconds(10), "failed", () -> box.health().status() == net.dnsoops.core.Health.Status.FAILED);
        up.set(true);
        Eventually.await(Duration.ofSeconds(10), "ok once delivered", () -> box.health().status() == net.dnsoops.core.Health.Status.OK);
        assertEquals(0, box.failedInARow());
        box.close();
    }

    /** ede-codes lets only the listed EDE codes through to a real HTTP receiver; other conditions pass. */
    @Test
    void edeCodesFilterWhatIsPosted() throws Exception {
        List<String> got = new CopyOnWriteArrayList<>();
        com.sun.net.httpserver.HttpServer web = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 4);
        web.createContext("/hook", ex -> {
            com.fasterxml.jackson.databind.JsonNode n = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(ex.getRequestBody().readAllBytes());
            got.add(n.path("condition").asText() + " " + n.path("fields").path("code").asText());
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        web.start();
        DnsOopsConfig c = ConfigLoader.parse("{\"webhook\": {\"urls\": [\"http://127.0.0.1:" + web.getAddress().getPort()
                + "/hook\"], \"ede-codes\": [18]}}", "t.json");
        WebhookActuator a = new WebhookActuator(c.webhook, "site");
        a.start();
        try {
            java.time.Instant t = java.time.Instant.now();
            for (int code : new int[] {20, 18}) {
                a.apply(new net.dnsoops.core.Condition(net.dnsoops.core.ConditionType.EDE, true, t, "a.test.", null, -1, -1,
                        "127.0.0.1@53", java.util.Map.of("code", Integer.toString(code)), ""));
            }
            a.apply(new net.dnsoops.core.Condition(net.dnsoops.core.ConditionType.ZONE_READY, true, t, "a.test.", "s", 1, -1,
                    "127.0.0.1", java.util.Map.of(), ""));
            Eventually.await(Duration.ofSeconds(5), "two posts", () -> got.size() >= 2);
            Eventually.sleep(200);
            assertEquals(List.of("ede 18", "zone-ready "), got);
        } finally {
            a.close();
            web.stop(0);
        }
    }

    /**
     * Receivers that close connections: one that answers HTTP/1.0 and closes after each response,
     * and one that keeps a connection only until the next request arrives on it and then closes
     * it unanswered (what a receiver or proxy closing idle connections looks like to a client that
     * reuses one). Every POST is delivered once, no attempt counts as failed, and no request asks
     * for an h2c upgrade.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(ClosingReceiver.Mode.class)
    void receiversThatCloseConnectionsGetEveryPostWithoutFailures(ClosingReceiver.Mode mode) throws Exception {
        int posts = 200;
        try (ClosingReceiver rx = new ClosingReceiver(mode)) {
            DnsOopsConfig c = ConfigLoader.parse("{\"webhook\": {\"urls\": [\"http://127.0.0.1:" + rx.port()
                    + "/hook\"], \"retry-backoff\": \"10ms\", \"max-backoff\": \"10ms\", \"timeout\": \"5s\"}}", "t.json");
            WebhookActuator a = new WebhookActuator(c.webhook, "site");
            a.start();
            try {
                java.time.Instant t = java.time.Instant.now();
                for (int i = 1; i <= posts; i++) {
                    a.apply(new net.dnsoops.core.Condition(net.dnsoops.core.ConditionType.ZONE_UPDATED, true, t, "a.test.", "s",
                            i, i - 1, "127.0.0.1", java.util.Map.of(), ""));
                    // Space some POSTs out so the receiver's close lands while the connection sits idle in the pool.
                    if (i % 20 == 0) Eventually.await(Duration.ofSeconds(10), "queue drained", () -> a.queued() == 0);
                }
                Eventually.await(Duration.ofSeconds(30), posts + " posts", () -> rx.bodies().size() >= posts,
                        () -> rx.bodies().size() + " received; " + a.health().detail());
                assertEquals(0, a.failedAttempts(), a.health().detail());
                List<Long> serials = rx.bodies().stream().map(b -> {
                    try {
                        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(b).path("serial").asLong();
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }).toList();
                assertEquals(java.util.stream.LongStream.rangeClosed(1, posts).boxed().toList(), serials);
                for (String head : rx.heads()) {
                    String h = head.toLowerCase(java.util.Locale.ROOT);
                    assertTrue(head.startsWith("POST /hook HTTP/1.1\r\n"), head);
                    assertTrue(!h.contains("\r\nupgrade:") && !h.contains("http2-settings"), head);
                }
                if (mode == ClosingReceiver.Mode.CLOSE_WHEN_REUSED) {
                    assertTrue(rx.dropped() > 0, "the receiver never closed a reused connection: the test proved nothing");
                }
            } finally {
                a.close();
            }
        }
    }

    /** A raw-socket HTTP receiver that closes connections as {@link Mode} says; records what it got. */
    static final class ClosingReceiver implements AutoCloseable {
        enum Mode {
            /** "HTTP/1.0 200 OK", then the connection is closed. */
            HTTP_1_0,
            /** "HTTP/1.1 200 OK" (keep-alive implied); a second request on the connection is read and left unanswered: closed. */
            CLOSE_WHEN_REUSED
        }

        private final Mode mode;
        private final java.net.ServerSocket server;
        private final List<String> heads = new CopyOnWriteArrayList<>();
        private final List<String> bodies = new CopyOnWriteArrayList<>();
        private final AtomicInteger dropped = new AtomicInteger();
        private final Thread acceptor;

        ClosingReceiver(Mode mode) throws java.io.IOException {
            this.mode = mode;
            this.server = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
            this.acceptor = new Thread(this::accept, "closing-receiver");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return server.getLocalPort();
        }

        List<String> heads() {
            return heads;
        }

        List<String> bodies() {
            return bodies;
        }

        int dropped() {
            return dropped.get();
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    java.net.Socket s = server.accept();
                    Thread t = new Thread(() -> serve(s), "closing-receiver-conn");
                    t.setDaemon(true);
                    t.start();
                } catch (java.io.IOException e) {
                    return;
                }
            }
        }

        private void serve(java.net.Socket s) {
            try (s) {
                java.io.InputStream in = new java.io.BufferedInputStream(s.getInputStream());
                for (int n = 0; ; n++) {
                    String head = readHead(in);
                    if (head == null) return;
                    int length = 0;
                    for (String line : head.split("\r\n")) {
                        if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                            length = Integer.parseInt(line.substring(15).trim());
                        }
                    }
                    byte[] body = in.readNBytes(length);
                    if (n > 0) { // CLOSE_WHEN_REUSED only: its idle timeout "fired" as this request came in
                        dropped.incrementAndGet();
                        return;
                    }
                    heads.add(head);
                    bodies.add(new String(body, StandardCharsets.UTF_8));
                    String status = mode == Mode.HTTP_1_0 ? "HTTP/1.0 200 OK" : "HTTP/1.1 200 OK";
                    s.getOutputStream().write((status + "\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                    if (mode == Mode.HTTP_1_0) return;
                }
            } catch (java.io.IOException e) {
                // the client went away
            }
        }

        /** The request line and headers up to the blank line, or null at end of stream. */
        private static String readHead(java.io.InputStream in) throws java.io.IOException {
            StringBuilder b = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0) {
                b.append((char) c);
                if (b.length() >= 4 && b.substring(b.length() - 4).equals("\r\n\r\n")) return b.toString();
            }
            return null;
        }

        @Override
        public void close() throws java.io.IOException {
            server.close();
        }
    }
}
