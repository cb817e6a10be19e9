package net.dnsoops.input.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import net.dnsoops.testsupport.DnsClient;
import net.dnsoops.testsupport.DnsServer;
import net.dnsoops.testsupport.Eventually;
import net.dnsoops.testsupport.RunningDaemon;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;

/**
 * dns-oops as the also-notify target of real Knot, NSD and BIND primaries: each notifies at start
 * and after a serial bump; the hook runs once per verified change with the serial dns-oops
 * queried itself; unconfigured zones get NOTAUTH.
 */
class NotifyListenerIT {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(DnsServer.Kind.class)
    void realPrimaryNotifiesAndTheHookSeesTheVerifiedSerial(DnsServer.Kind kind) throws Exception {
        String zone = kind.name().toLowerCase() + ".test.";
        int port = RunningDaemon.choosePort();
        DnsServer server = new DnsServer(kind, dir, port, DnsServer.Timers.DEFAULT, zone);
        String body = "\"zones\": { \"" + zone + "\": { \"primaries\": [\"" + server.primary() + "\"] } }";
        try (RunningDaemon d = RunningDaemon.start(dir.resolve("dns-oops"), port, body); server) {
            server.start();

            // Start-up: the zone is verified once, whether the server's NOTIFY or our own poll came first.
            Eventually.await(Duration.ofSeconds(10), "zone-ready", () -> d.count("zone-ready:raised") == 1, d::dump);
            assertTrue(d.records().contains("zone-ready:raised " + zone + " 2024010101 127.0.0.1 default"), d.dump());
            Eventually.await(Duration.ofSeconds(10), kind + " start-up NOTIFY answered over " + kind.notifyTransport(),
                    () -> d.daemon().notifyCounters().answers().getOrDefault(kind.notifyTransport() + " NOERROR", 0L) >= 1,
                    () -> d.daemon().notifyCounters().answers() + "\n" + server.logTail());

            // A change at the primary: its NOTIFY makes dns-oops query and report the new serial.
            server.setSerial(zone, 2024010102L);
            Eventually.await(Duration.ofSeconds(10), "zone-updated", () -> d.count("zone-updated:raised") >= 1,
                    () -> d.dump() + "\n" + server.logTail());
            assertTrue(d.records().contains("zone-updated:raised " + zone + " 2024010102 127.0.0.1 default"), d.dump());

            // Retransmissions or our own refresh must not run the hook a second time for the same change.
            Eventually.sleep(1500);
            assertEquals(1, d.count("zone-updated:raised"), d.dump());
            assertEquals(1, d.count("zone-ready:raised"), d.dump());
            assertTrue(d.records().contains("service-ready:raised    default"), d.dump());

            Message unknown = DnsClient.notify(d.address(), "not-configured.test.", false, InetAddress.getLoopbackAddress());
            assertEquals(Rcode.NOTAUTH, unknown.getRcode());
        }
    }

    /** A NOTIFY from a source the zone does not allow is REFUSED and must not make us query anyone. */
    @org.junit.jupiter.api.Test
    void refusedNotifyCausesNoSoaQuery() throws Exception {
        try (java.net.DatagramSocket primary = new java.net.DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            primary.setSoTimeout(3000);
            int port = RunningDaemon.choosePort();
            String body = "\"zones\": { \"acl.test.\": { \"primaries\": [\"127.0.0.1@" + primary.getLocalPort() + "\"],"
                    + " \"allow-notify\": [\"127.0.0.2\"], \"soa-tries\": 1, \"initial-retry\": \"1h\" } }";
            try (RunningDaemon d = RunningDaemon.start(dir, port, body)) {
                java.net.DatagramPacket p = new java.net.DatagramPacket(new byte[512], 512);
                primary.receive(p); // the start-up check; left unanswered
                Message refused = DnsClient.notify(d.address(), "acl.test.", false, InetAddress.getLoopbackAddress());
                assertEquals(Rcode.REFUSED, refused.getRcode());
                primary.setSoTimeout(1500);
                org.junit.jupiter.api.Assertions.assertThrows(java.net.SocketTimeoutException.class,
                        () -> primary.receive(p), "a refused NOTIFY must not cause a SOA query");

                // Positive control: the allowed source does cause one (after the start-up check timed out).
                Eventually.await(Duration.ofSeconds(5), "start-up check finished",
                        () -> d.daemon().core().zones().get(0).lastCheckMs() > 0);
                Message ok = DnsClient.notify(d.address(), "acl.test.", false, InetAddress.getByName("127.0.0.2"));
                assertEquals(Rcode.NOERROR, ok.getRcode());
                primary.setSoTimeout(3000);
                primary.receive(p);
                Message query = new Message(java.util.Arrays.copyOf(p.getData(), p.getLength()));
                assertEquals("acl.test.", query.getQuestion().getName().toString());
            }
        }
    }

    /**
     * A NOTIFY from ::1 (over UDP, then TCP) reaches the hook's {source}, the condition and /status
     * as "::1", the text the config uses, not Java's "0:0:0:0:0:0:0:1%0".
     */
    @org.junit.jupiter.api.Test
    void ipv6NotifierIsShownAsTheConfigWritesIt() throws Exception {
        String zone = "v6.test.";
        int port = RunningDaemon.choosePort();
        int httpPort = net.dnsoops.testsupport.FreePorts.next();
        // Knot's own NOTIFYs go to a port nobody listens on: only the test's NOTIFYs from ::1 start checks.
        DnsServer knot = new DnsServer(DnsServer.Kind.KNOT, dir, net.dnsoops.testsupport.FreePorts.next(),
                DnsServer.Timers.DEFAULT, zone);
        String body = "\"zones\": { \"" + zone + "\": { \"primaries\": [\"" + knot.primary() + "\"],"
                + " \"allow-notify\": [\"::1\"] } },"
                + " \"http\": { \"listen\": [\"::1@" + httpPort + "\"] }";
        java.net.InetAddress v6 = java.net.InetAddress.getByName("::1");
        java.net.InetSocketAddress listener = new java.net.InetSocketAddress(v6, port);
        try (knot; RunningDaemon d = RunningDaemon.start(dir.resolve("dns-oops"), port,
                java.util.List.of("127.0.0.1@" + port, "::1@" + port), body)) {
            knot.start();
            Eventually.await(Duration.ofSeconds(10), "zone-ready", () -> d.count("zone-ready:raised") == 1, d::dump);

            knot.setSerial(zone, 2024010102L);
            assertEquals(Rcode.NOERROR, DnsClient.notify(listener, zone, false, v6).getRcode());
            Eventually.await(Duration.ofSeconds(10), "zone-updated after the UDP NOTIFY from ::1",
                    () -> d.count("zone-updated:raised") == 1, d::dump);
            assertTrue(d.records().contains("zone-updated:raised " + zone + " 2024010102 ::1 default"), d.dump());

            knot.setSerial(zone, 2024010103L);
            assertEquals(Rcode.NOERROR, DnsClient.notify(listener, zone, true, v6).getRcode());
            Eventually.await(Duration.ofSeconds(10), "zone-updated after the TCP NOTIFY from ::1",
                    () -> d.count("zone-updated:raised") == 2, d::dump);
            assertTrue(d.records().contains("zone-updated:raised " + zone + " 2024010103 ::1 default"), d.dump());

            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            String status = http.send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create("http://[::1]:" + httpPort + "/status")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(status);
            com.fasterxml.jackson.databind.JsonNode z = null;
            for (com.fasterxml.jackson.databind.JsonNode n : json.path("zones")) {
                if (n.path("zone").asText().equals(zone)) z = n;
            }
            assertTrue(z != null, status);
            assertEquals("::1", z.path("last-notifier").asText(), z.toString());
            boolean updatedFromV6 = false;
            for (com.fasterxml.jackson.databind.JsonNode c : json.path("recent-conditions")) {
                if (c.path("condition").asText().equals("zone-updated")) {
                    assertEquals("::1", c.path("source").asText(), c.toString());
                    updatedFromV6 = true;
                }
            }
            assertTrue(updatedFromV6, status);
            assertTrue(!status.contains("0:0:0:0:0:0:0:1"), status);
        }
    }
}
