package net.dnsoops.input.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import net.dnsoops.core.Condition;
import net.dnsoops.core.ConditionType;
import net.dnsoops.daemon.Daemon;
import net.dnsoops.testsupport.ConditionRecorder;
import net.dnsoops.testsupport.DnsServer;
import net.dnsoops.testsupport.Eventually;
import net.dnsoops.testsupport.FreePorts;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * A bounded loopback query load (at most 4,000 queries, at most 4 s, about 1,000/s) against a
 * real NSD, Knot and BIND, read through each one's own statistics ({@code nsd-control
 * stats_noreset}, {@code knotc stats} with mod-stats, BIND's statistics channel JSON): raises
 * query-rate-high and query-rate-rising, and clears query-rate-high once the load has stopped.
 */
class StatsIT {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(DnsServer.Kind.class)
    void aQueryLoadRaisesQueryRateHighAndItsEndClearsIt(DnsServer.Kind kind) throws Exception {
        int notifyPort = FreePorts.next();
        try (DnsServer server = DnsServer.start(kind, dir, notifyPort, "nsd.test.")) {
            String json = "{ \"listen\": [\"127.0.0.1@" + notifyPort + "\"],"
                    + " \"zones\": { \"nsd.test.\": { \"primaries\": [\"" + server.primary() + "\"] } },"
                    + " \"stats\": [ { \"server\": \"" + kind.name().toLowerCase() + "\", \"control\": \"" + server.statsControl() + "\","
                    + "   \"name\": \"local\", \"interval\": \"1s\", \"rate-high\": 300, \"rate-rising\": 200 } ] }";
            ConditionRecorder rec = new ConditionRecorder();
            try (Daemon d = ConditionRecorder.start(dir.resolve("dns-oops"), json, rec)) {
                Eventually.sleep(2500); // two readings without load: no condition
                assertEquals(0, rec.count("query-rate-high", true), rec.dump());

                load(server.address(), 4000, Duration.ofSeconds(4), 1000);
                Eventually.await(Duration.ofSeconds(5), "query-rate-high",
                        () -> rec.count("query-rate-high", true) == 1, rec::dump);
                Condition high = rec.first(c -> c.type() == ConditionType.QUERY_RATE_HIGH).orElseThrow();
                assertEquals("local", high.source());
                assertTrue(Double.parseDouble(high.fields().get("rate")) >= 300, rec.dump());
                assertEquals("300", high.fields().get("threshold"));
                assertTrue(rec.count("query-rate-rising", true) >= 1, rec.dump());

                Eventually.await(Duration.ofSeconds(6), "query-rate-high cleared after the load",
                        () -> rec.count("query-rate-high", false) == 1, rec::dump);
            }
        }
    }

    /** Sends SOA queries at about {@code perSecond}, stopping at {@code max} queries or after {@code limit}. */
    static int load(InetSocketAddress server, int max, Duration limit, int perSecond) throws Exception {
        byte[] q = Message.newQuery(Record.newRecord(Name.fromString("nsd.test."), Type.SOA, DClass.IN)).toWire();
        long start = System.nanoTime();
        long end = start + limit.toNanos();
        int sent = 0;
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            s.setReceiveBufferSize(1 << 20);
            while (sent < max && System.nanoTime() < end) {
                long due = start + (long) sent * 1_000_000_000L / perSecond;
                long wait = due - System.nanoTime();
                if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                q[0] = (byte) (sent >> 8);
                q[1] = (byte) sent;
                s.send(new DatagramPacket(q, q.length, server));
                sent++;
            }
        }
        return sent;
    }
}
