package net.dnsoops.input.soa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import net.dnsoops.core.CheckRequest;
import net.dnsoops.core.CheckResult;
import net.dnsoops.testsupport.Eventually;
import net.dnsoops.testsupport.FakeCore;
import net.dnsoops.testsupport.FreePorts;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

/** How checks get their slots: none lost when slots are handed from a finished check to the next. */
class SoaPollerTest {
    final FakeCore sink = new FakeCore();

    @Test
    void aLongQueueOfChecksThatFailAtOnceAllReachTheCore() {
        // One slot, held by a query nobody answers; behind it 5,000 checks that fail the moment
        // they start (no target). When the slot frees, handing it on from check to check must
        // not recurse once per queued check (that overflowed the stack and lost results).
        SoaPoller p = new SoaPoller(1_000_000, 1);
        p.start(sink);
        InetSocketAddress nobody = new InetSocketAddress(InetAddress.getLoopbackAddress(), FreePorts.next());
        p.requestCheck(new CheckRequest(Name.fromConstantString("slow.test."), List.of(nobody), Duration.ofMillis(300), 1, null));
        for (int i = 0; i < 5000; i++) {
            p.requestCheck(new CheckRequest(Name.fromConstantString("z" + i + ".test."), List.of(), Duration.ofSeconds(1), 1, null));
        }
        Eventually.await(Duration.ofSeconds(20), "5,001 results", () -> sink.checks.size() == 5001);
        assertEquals(5000, sink.checks.stream().filter(r -> r.failure().equals("no target to query")).count());
        assertTrue(sink.checks.stream().anyMatch(r -> r.zone().equals(Name.fromConstantString("slow.test."))));
        p.close();
    }
}
