package net.dnsoops.input.notify;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * Per-source NOTIFY rate limit with bounded memory: sources hash into a fixed table of token
 * buckets (colliding sources share one), so no input can grow it. A rate of 0 turns it off.
 * Over the limit a message gets no answer; primaries retransmit unanswered NOTIFYs, and every
 * zone is also polled on its refresh timer, so nothing is lost for good.
 */
final class SourceRateLimit {
    private static final int SLOTS = 4096;
    /** One token, in the buckets' unit (token-nanoseconds per second of rate). */
    private static final long COST = 1_000_000_000L;

    private final long ratePerSecond;
    private final long burst;
    /** Monotonic nanoseconds, like System.nanoTime (tests pass virtual time). */
    private final LongSupplier nanoTime;
    /** Per slot: tokens (scaled by 1e9 per token-second) and last refill time, packed in two arrays. */
    private final AtomicLongArray tokens = new AtomicLongArray(SLOTS);
    private final AtomicLongArray refilled = new AtomicLongArray(SLOTS);

    SourceRateLimit(long ratePerSecond, long burst) {
        this(ratePerSecond, burst, System::nanoTime);
    }

    SourceRateLimit(long ratePerSecond, long burst, LongSupplier nanoTime) {
        this.ratePerSecond = ratePerSecond;
        this.burst = Math.max(1, burst);
        this.nanoTime = nanoTime;
        long now = nanoTime.getAsLong();
        for (int i = 0; i < SLOTS; i++) {
            tokens.set(i, this.burst * COST);
            refilled.set(i, now);
        }
    }

    /** True if a message from {@code source} may be processed now. */
    boolean allow(InetAddress source) {
        if (ratePerSecond <= 0) return true;
        int slot = (Arrays.hashCode(source.getAddress()) & 0x7fffffff) % SLOTS;
        long cap = burst * COST;
        while (true) {
            long now = nanoTime.getAsLong();
            long last = refilled.get(slot);
            long have = tokens.get(slot);
            long grown = refill(have, cap, now - last);
            if (grown < COST) {
                return false;
            }
            // Refill and take one token; a lost race just retries with fresh values.
            if (tokens.compareAndSet(slot, have, grown - COST)) {
                refilled.accumulateAndGet(slot, now, Math::max);
                return true;
            }
        }
    }

    /**
     * {@code have} plus what {@code elapsedNanos} earn at the rate, at most {@code cap}. The
     * product is only formed for an elapsed time shorter than it takes to fill the bucket, so it
     * cannot overflow however long a source was quiet (time going backwards earns nothing).
     */
    private long refill(long have, long cap, long elapsedNanos) {
        if (elapsedNanos <= 0 || have >= cap) return Math.min(have, cap);
        long room = cap - have;
        if (elapsedNanos > room / ratePerSecond) return cap;
        return Math.min(cap, have + elapsedNanos * ratePerSecond);
    }
}
