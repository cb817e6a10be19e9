package net.dnsoops.input.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import net.dnsoops.core.Condition;
import net.dnsoops.core.ConditionType;
import net.dnsoops.daemon.Daemon;
import net.dnsoops.testsupport.ConditionRecorder;
import net.dnsoops.testsupport.DnsServer;
import net.dnsoops.testsupport.Eventually;
import net.dnsoops.testsupport.FreePorts;
import net.dnsoops.testsupport.QueryLoad;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

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

                QueryLoad.send(server.address(), "nsd.test.", 4000, Duration.ofSeconds(4), 1000);
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
}
