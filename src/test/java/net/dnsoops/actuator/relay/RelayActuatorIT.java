package net.dnsoops.actuator.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import net.dnsoops.testsupport.DnsServer;
import net.dnsoops.testsupport.Eventually;
import net.dnsoops.testsupport.NotifyReceiver;
import net.dnsoops.testsupport.RunningDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;
import org.xbill.DNS.TSIG;

/**
 * NSD notifies dns-oops A; after A verified the new serial it relays NOTIFY to a second dns-oops
 * B (UDP), which then verifies and reports the update itself, and to a TSIG-checking receiver
 * over TCP. A silent target gets exactly "tries" NOTIFYs.
 */
class RelayActuatorIT {
    private static final String SECRET = "c2VjcmV0LWtleS1mb3ItdGhlLXJlbGF5LXRlc3Q="; // base64

    @TempDir
    Path dir;

    @Test
    void verifiedUpdateIsRelayedToASecondDnsOopsAndASignedTcpTarget() throws Exception {
        int portA = RunningDaemon.choosePort();
        int portB = RunningDaemon.choosePort();
        TSIG key = new TSIG(TSIG.HMAC_SHA256, Name.fromString("relay-key."), SECRET);
        try (DnsServer nsd = DnsServer.start(DnsServer.Kind.NSD, dir, portA, "relay.test.");
             NotifyReceiver signed = new NotifyReceiver(key);
             NotifyReceiver silent = new NotifyReceiver(null)) {
            silent.silent(true);
            String zoneB = "\"zones\": { \"relay.test.\": { \"primaries\": [\"" + nsd.primary() + "\"],"
                    + " \"allow-notify\": [\"127.0.0.1\"] } }";
            try (RunningDaemon b = RunningDaemon.start(dir.resolve("b"), portB, zoneB)) {
                Eventually.await(Duration.ofSeconds(10), "B ready", () -> b.count("zone-ready:raised") == 1, b::dump);
                String bodyA = "\"relay\": {"
                        + " \"targets\": [ { \"address\": \"127.0.0.1@" + portB + "\" },"
                        + "   { \"address\": \"" + signed.address() + "\", \"transport\": \"tcp\", \"key\": \"relay-key\" },"
                        + "   { \"address\": \"" + silent.address() + "\" } ],"
                        + " \"tries\": 3, \"retry-interval\": \"300ms\" },"
                        + "\"keys\": { \"relay-key\": { \"algorithm\": \"hmac-sha256\", \"secret\": \"" + SECRET + "\" } },"
                        + "\"zones\": { \"relay.test.\": { \"primaries\": [\"" + nsd.primary() + "\"] } }";
                try (RunningDaemon a = RunningDaemon.start(dir.resolve("a"), portA, bodyA)) {
                    Eventually.await(Duration.ofSeconds(10), "A ready", () -> a.count("zone-ready:raised") == 1, a::dump);
                    Eventually.sleep(300);
                    assertEquals(0, signed.got().size(), "zone-ready is not relayed, only zone-updated");

                    nsd.setSerial("relay.test.", 2024010102L);
                    Eventually.await(Duration.ofSeconds(10), "A verified the update",
                            () -> a.count("zone-updated:raised relay.test. 2024010102") == 1, a::dump);
                    // B had no NOTIFY from NSD (NSD notifies A only) and a 1 h REFRESH: only the relay tells it.
                    Eventually.await(Duration.ofSeconds(10), "B verified the relayed update",
                            () -> b.count("zone-updated:raised relay.test. 2024010102") == 1, b::dump);
                    assertTrue(b.records().stream().anyMatch(l -> l.startsWith("zone-updated:raised relay.test. 2024010102 127.0.0.1")),
                            b.dump());

                    Eventually.await(Duration.ofSeconds(5), "signed NOTIFY over TCP", () -> signed.got().size() == 1);
                    NotifyReceiver.Got g = signed.got().get(0);
                    assertEquals("relay.test.", g.zone());
                    assertEquals("tcp", g.transport());
                    assertTrue(g.isNotify() && g.aa(), g.toString());
                    assertEquals("verified", g.tsig(), g.toString());

                    Eventually.await(Duration.ofSeconds(5), "three tries to the silent target",
                            () -> silent.got().size() == 3);
                    Eventually.sleep(1000);
                    List<NotifyReceiver.Got> tries = silent.got();
                    assertEquals(3, tries.size(), "no fourth try: " + tries);
                    assertTrue(tries.stream().allMatch(t -> t.transport().equals("udp") && t.tsig().equals("none")));
                }
            }
        }
    }
}
