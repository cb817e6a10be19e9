package net.dnsoops.actuator.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import net.dnsoops.config.ConfigException;
import net.dnsoops.config.ConfigLoader;
import net.dnsoops.config.DnsOopsConfig;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Type;

class RelayActuatorTest {
    @Test
    void notifyMessageIsRfc1996() throws Exception {
        Message m = RelayActuator.notify(Name.fromString("example.com."));
        assertEquals(Opcode.NOTIFY, m.getHeader().getOpcode());
        assertTrue(m.getHeader().getFlag(Flags.AA));
        assertFalse(m.getHeader().getFlag(Flags.RD));
        assertFalse(m.getHeader().getFlag(Flags.QR));
        assertEquals(Type.SOA, m.getQuestion().getType());
        assertEquals("example.com.", m.getQuestion().getName().toString());
    }

    @Test
    void configDefaultsPerZoneTargetsAndErrors() throws Exception {
        DnsOopsConfig c = ConfigLoader.parse("{\"relay\": {\"targets\": [{\"address\": \"192.0.2.1\"}],"
                + " \"zones\": {\"Example.COM\": [{\"address\": \"192.0.2.2@5300\", \"transport\": \"tcp\"}]}}}", "t");
        assertEquals(3, c.relay.tries);
        assertEquals(Duration.ofSeconds(5), c.relay.retryInterval);
        assertEquals(53, c.relay.targets.get(0).address.getPort());
        assertEquals(5300, c.relay.targetsFor(Name.fromString("example.com.")).get(0).address.getPort());
        assertEquals(53, c.relay.targetsFor(Name.fromString("other.test.")).get(0).address.getPort());
        assertTrue(c.relay.enabled());
        assertFalse(ConfigLoader.parse("{}", "t").relay.enabled());
        assertTrue(error("{\"relay\": {\"targets\": [{\"address\": \"192.0.2.1\", \"key\": \"k\"}]}}")
                .contains("no key named \"k\""));
        ConfigLoader.parse("{\"keys\": {\"k\": {\"secret\": \"YQ==\"}},"
                + " \"relay\": {\"targets\": [{\"address\": \"192.0.2.1\", \"key\": \"k\"}]}}", "t");
        assertTrue(error("{\"relay\": {\"targets\": [{\"address\": \"192.0.2.1\", \"transport\": \"quic\"}]}}")
                .contains("\"transport\""));
        assertTrue(error("{\"relay\": {\"tries\": 0}}").contains("\"tries\""));
    }

    @Test
    void updatesDuringAnUnansweredNotifyAreCoalescedIntoOneMore() throws Exception {
        try (java.net.DatagramSocket silent = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            silent.setSoTimeout(3000);
            DnsOopsConfig c = ConfigLoader.parse("{\"relay\": {\"targets\": [{\"address\": \"127.0.0.1@"
                    + silent.getLocalPort() + "\"}], \"tries\": 2, \"retry-interval\": \"200ms\"}}", "t");
            RelayActuator r = new RelayActuator(c.relay, c.keyRing());
            r.start();
            for (long serial = 2; serial <= 4; serial++) r.apply(updated(serial));
            int got = 0;
            byte[] buf = new byte[512];
            long end = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(4000);
            while (System.nanoTime() < end) {
                try {
                    silent.setSoTimeout((int) Math.max(1, java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())));
                    silent.receive(new java.net.DatagramPacket(buf, buf.length));
                    got++;
                } catch (java.net.SocketTimeoutException e) {
                    break;
                }
            }
            // Three updates: one NOTIFY (2 tries) plus exactly one more (2 tries), not three rounds.
            // (dnsjava checks timeouts about once a second, so each try takes ~1 s here.)
            assertEquals(4, got);
            net.dnsoops.testsupport.Eventually.await(java.time.Duration.ofSeconds(3), "both rounds failed",
                    () -> r.failed() == 2);
            r.close();
        }
    }

    /**
     * A target restarting: its port refuses (ICMP port unreachable over UDP, a reset over TCP) at
     * the first try and is open a moment later. The next try waits retry-interval like after
     * silence, and reaches it.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"udp", "tcp"})
    void aTargetThatRefusesIsTriedAgainRetryIntervalLater(String transport) throws Exception {
        int port = net.dnsoops.testsupport.FreePorts.next();
        DnsOopsConfig c = ConfigLoader.parse("{\"relay\": {\"targets\": [{\"address\": \"127.0.0.1@" + port
                + "\", \"transport\": \"" + transport + "\"}], \"tries\": 3, \"retry-interval\": \"1s\"}}", "t");
        RelayActuator r = new RelayActuator(c.relay, c.keyRing());
        r.start();
        long start = System.nanoTime();
        r.apply(updated(2));
        net.dnsoops.testsupport.Eventually.await(java.time.Duration.ofSeconds(3), "the first try", () -> r.sent() == 1);
        net.dnsoops.testsupport.Eventually.sleep(300); // refused meanwhile; the target is back after that
        assertEquals(1, r.sent(), "a refused try is not repeated at once");
        try (net.dnsoops.testsupport.NotifyReceiver target = new net.dnsoops.testsupport.NotifyReceiver(null, port)) {
            net.dnsoops.testsupport.Eventually.await(java.time.Duration.ofSeconds(5), "the NOTIFY reached the target",
                    () -> target.got().size() == 1);
            long ms = java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(ms >= 1000, "second try " + ms + " ms after the first, before retry-interval");
            assertEquals(transport, target.got().get(0).transport());
            net.dnsoops.testsupport.Eventually.await(java.time.Duration.ofSeconds(3), "answered", () -> r.answered() == 1);
            assertEquals(2, r.sent());
            assertEquals(0, r.failed());
        } finally {
            r.close();
        }
    }

    private static net.dnsoops.core.Condition updated(long serial) {
        return new net.dnsoops.core.Condition(net.dnsoops.core.ConditionType.ZONE_UPDATED, true, java.time.Instant.now(),
                "example.com.", "default", serial, serial - 1, "127.0.0.1", java.util.Map.of(), "");
    }

    private static String error(String text) {
        try {
            ConfigLoader.parse(text, "t");
        } catch (ConfigException e) {
            return e.getMessage();
        }
        throw new AssertionError("no error for " + text);
    }
}
