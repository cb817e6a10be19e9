package net.dnsoops.input.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import net.dnsoops.testsupport.DnsServer;
import net.dnsoops.testsupport.Eventually;
import net.dnsoops.testsupport.RunningDaemon;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;

/**
 * TSIG-signed NOTIFYs from real Knot, NSD and BIND are accepted and answered signed; SOA checks
 * are signed too; forged, unknown-key and unsigned NOTIFYs are rejected and change nothing.
 */
class NotifyTsigIT {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(DnsServer.Kind.class)
    void signedNotifiesFromRealPrimariesWorkAndForgedOnesChangeNothing(DnsServer.Kind kind) throws Exception {
        String zone = kind.name().toLowerCase() + "-tsig.test.";
        int port = RunningDaemon.choosePort();
        DnsServer server = new DnsServer(kind, dir, port, DnsServer.Timers.DEFAULT, zone);
        String body = "\"keys\": { \"" + DnsServer.TSIG_KEY + "\": { \"algorithm\": \"hmac-sha256\", \"secret\": \""
                + DnsServer.TSIG_SECRET + "\" } },"
                + "\"zones\": { \"" + zone + "\": { \"primaries\": [\"" + server.primary() + "\"],"
                + " \"notify-key\": \"" + DnsServer.TSIG_KEY + "\", \"soa-key\": \"" + DnsServer.TSIG_KEY + "\" } }";
        try (RunningDaemon d = RunningDaemon.start(dir.resolve("dns-oops"), port, body); server) {
            server.start();
            Eventually.await(Duration.ofSeconds(10), "zone-ready via signed SOA query",
                    () -> d.count("zone-ready:raised " + zone + " 2024010101") == 1, d::dump);
            Eventually.await(Duration.ofSeconds(10), kind + "'s signed start-up NOTIFY accepted",
                    () -> d.daemon().notifyCounters().answers().getOrDefault(kind.notifyTransport() + " NOERROR", 0L) >= 1,
                    () -> d.daemon().notifyCounters().answers() + "\n" + server.logTail());
            server.setSerial(zone, 2024010102L);
            Eventually.await(Duration.ofSeconds(10), "zone-updated from a signed NOTIFY",
                    () -> d.count("zone-updated:raised " + zone + " 2024010102") == 1,
                    () -> d.dump() + "\n" + server.logTail());

            long checkedAt = d.daemon().core().zones().get(0).lastCheckMs();
            Message forged = send(d, zone, new TSIG(TSIG.HMAC_SHA256, DnsServer.TSIG_KEY,
                    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="));
            assertEquals(Rcode.NOTAUTH, forged.getRcode());
            assertEquals(Rcode.BADSIG, forged.getTSIG().getError());
            Message unknownKey = send(d, zone, new TSIG(TSIG.HMAC_SHA256, "other-key", DnsServer.TSIG_SECRET));
            assertEquals(Rcode.NOTAUTH, unknownKey.getRcode());
            assertEquals(Rcode.BADKEY, unknownKey.getTSIG().getError());
            // ldns-notify -y name:secret signs with hmac-md5 unless told otherwise: the key's name
            // with another algorithm is BADKEY (17), RFC 8945 5.2.1, not BADSIG
            Process ldns = new ProcessBuilder("ldns-notify", "-z", zone, "-p", Integer.toString(d.address().getPort()), "-r", "1",
                    "-y", DnsServer.TSIG_KEY + ":" + DnsServer.TSIG_SECRET, "127.0.0.1").redirectErrorStream(true).start();
            String reply = new String(ldns.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            ldns.waitFor();
            assertTrue(reply.contains("rcode: NOTAUTH"), reply);
            assertTrue(java.util.regex.Pattern.compile("TSIG\\s+hmac-md5\\S*\\s+\\d+\\s+300\\s+0\\s+\\d+\\s+17\\s+0")
                    .matcher(reply).find(), "BADKEY (17) in the reply's TSIG:\n" + reply);
            Message unsigned = send(d, zone, null);
            assertEquals(Rcode.NOTAUTH, unsigned.getRcode());
            Message good = send(d, zone, new TSIG(TSIG.HMAC_SHA256, DnsServer.TSIG_KEY, DnsServer.TSIG_SECRET));
            assertEquals(Rcode.NOERROR, good.getRcode());
            assertTrue(good.isSigned() && good.isVerified(), "the accepted NOTIFY is answered signed");
            // Only the good NOTIFY may have caused a check; the rejected ones came before it.
            Eventually.await(Duration.ofSeconds(5), "the good NOTIFY's check",
                    () -> d.daemon().core().zones().get(0).lastCheckMs() > checkedAt);
            assertEquals(1, d.count("zone-updated:raised"), d.dump());
            assertTrue(d.daemon().notifyCounters().tsigRejectedCount() >= 2);
        }
    }

    static Message send(RunningDaemon d, String zone, TSIG key) throws Exception {
        Message m = new Message();
        m.getHeader().setOpcode(Opcode.NOTIFY);
        m.getHeader().setFlag(Flags.AA);
        m.addRecord(Record.newRecord(Name.fromString(zone), Type.SOA, DClass.IN), Section.QUESTION);
        SimpleResolver r = new SimpleResolver(d.address());
        r.setLocalAddress(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        r.setTimeout(Duration.ofSeconds(2));
        if (key != null) r.setTSIGKey(key);
        return r.send(m);
    }
}
