package net.dnsoops.input.notify;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class SourceRateLimitTest {
    @Test
    void aSourceGetsItsBurstAndThenNothingWhileOthersAreUnaffected() throws Exception {
        SourceRateLimit limit = new SourceRateLimit(1, 5); // 1/s: no meaningful refill during the test
        InetAddress flooder = InetAddress.getByName("192.0.2.1");
        for (int i = 0; i < 5; i++) assertTrue(limit.allow(flooder), "burst " + i);
        assertFalse(limit.allow(flooder));
        assertTrue(limit.allow(InetAddress.getByName("192.0.2.2")), "another source has its own bucket");
    }

    @Test
    void zeroMeansUnlimited() throws Exception {
        SourceRateLimit limit = new SourceRateLimit(0, 0);
        for (int i = 0; i < 100_000; i++) assertTrue(limit.allow(InetAddress.getLoopbackAddress()));
    }
}
