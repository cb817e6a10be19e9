package net.dnsoops.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock the test moves by hand. {@link #nanoTime()} is the same virtual time as a monotonic
 * source, for parts that measure intervals like System.nanoTime.
 */
public final class MutableClock extends Clock {
    /** Volatile: a core thread reads what the test thread set. */
    private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

    public void advance(Duration d) {
        now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return now;
    }

    /** Nanoseconds since the epoch of this clock's instant (fits a long until 2262). */
    public long nanoTime() {
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
