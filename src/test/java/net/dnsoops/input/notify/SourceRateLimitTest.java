package net.dnsoops.input.notify;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import net.dnsoops.core.MutableClock;
import org.junit.jupiter.api.Test;

class SourceRateLimitTest {
    final MutableClock clock = new MutableClock();

    @Test
    void aSourceGetsItsBurstAndThenNothingWhileOthersAreUnaffected() throws Exception {
        SourceRateLimit limit = new SourceRateLimit(1, 5, clock::nanoTime);
        InetAddress flooder = InetAddress.getByName("192.0.2.1");
        for (int i = 0; i < 5; i++) assertTrue(limit.allow(flooder), "burst " + i);
        assertFalse(limit.allow(flooder));
        assertTrue(limit.allow(InetAddress.getByName("192.0.2.2")), "another source has its own bucket");
    }

    @Test
    void tokensComeBackAtTheRate() throws Exception {
        SourceRateLimit limit = new SourceRateLimit(10, 10, clock::nanoTime);
        InetAddress source = InetAddress.getByName("192.0.2.1");
        for (int i = 0; i < 10; i++) assertTrue(limit.allow(source));
        assertFalse(limit.allow(source));
        clock.advance(Duration.ofMillis(99));
        assertFalse(limit.allow(source), "not a whole token after 99 ms at 10/s");
        clock.advance(Duration.ofMillis(1));
        assertTrue(limit.allow(source));
        assertFalse(limit.allow(source));
        clock.advance(Duration.ofDays(1));
        for (int i = 0; i < 10; i++) assertTrue(limit.allow(source), "full burst after a quiet day, " + i);
        assertFalse(limit.allow(source), "never more than the burst");
    }

    /** A zone that changes once a week: its primary is quiet for longer than (now - last) * rate fits a long. */
    @Test
    void aSourceQuietForWeeksIsAdmittedAgain() throws Exception {
        SourceRateLimit limit = new SourceRateLimit(20_000, 20_000, clock::nanoTime);
        InetAddress primary = InetAddress.getByName("192.0.2.53");
        for (int days : new int[] {1, 5, 6, 7, 10, 11, 30, 365}) {
            // each spell starts with the bucket emptied by the burst that ended the last one
            clock.advance(Duration.ofDays(days));
            assertTrue(limit.allow(primary), "first NOTIFY after " + days + " quiet days");
            for (int i = 1; i < 20_000; i++) {
                if (!limit.allow(primary)) throw new AssertionError("burst cut short at " + i + " after " + days + " days");
            }
            assertFalse(limit.allow(primary), "the burst is still the limit after " + days + " days");
        }
    }

    @Test
    void timeGoingBackwardsEarnsNothingAndBreaksNothing() throws Exception {
        long[] now = {5_000_000_000L};
        SourceRateLimit limit = new SourceRateLimit(1, 1, () -> now[0]);
        InetAddress source = InetAddress.getByName("192.0.2.1");
        assertTrue(limit.allow(source));
        now[0] -= 3_000_000_000L;
        assertFalse(limit.allow(source));
        now[0] += 4_000_000_000L; // one second after the first message
        assertTrue(limit.allow(source));
    }

    @Test
    void zeroMeansUnlimited() throws Exception {
        SourceRateLimit limit = new SourceRateLimit(0, 0, clock::nanoTime);
        for (int i = 0; i < 100_000; i++) assertTrue(limit.allow(InetAddress.getLoopbackAddress()));
    }
}
