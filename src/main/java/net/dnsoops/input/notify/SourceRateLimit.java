package net.dnsoops.input.notify;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Per-source NOTIFY rate limit with bounded memory: sources hash into a fixed table of token
 * buckets (colliding sources share one), so no input can grow it. A rate of 0 turns it off.
 * Over the limit a message gets no answer; primaries retransmit unanswered NOTIFYs, and every
 * zone is also polled on its refresh timer, so nothing is lost for good.
 */
final class SourceRateLimit {
    private static final int SLOTS = 4096;

    private final long ratePerSecond;
    private final long burst;
    /** Per slot: tokens (scaled by 1e9 per token-second) and last refill time, packed in two arrays. */
    private final AtomicLongArray tokens = new AtomicLongArray(SLOTS);
    private final AtomicLongArray refilled = new AtomicLongArray(SLOTS);

    SourceRateLimit(long ratePerSecond, long burst) {
        this.ratePerSecond = ratePerSecond;
        this.burst = Math.max(1, burst);
        long now = System.nanoTime();
        for (int i = 0; i < SLOTS; i++) {
            tokens.set(i, this.burst * 1_000_000_000L);
            refilled.set(i, now);
        }
    }

    /** True if a message from {@code source} may be processed now. */
    boolean allow(InetAddress source) {
        if (ratePerSecond <= 0) return true;
        int slot = (Arrays.hashCode(source.getAddress()) & 0x7fffffff) % SLOTS;
        long cost = 1_000_000_000L;
        long cap = burst * cost;
        while (true) {
            long now = System.nanoTime();
            long last = refilled.get(slot);
            long have = tokens.get(slot);
            long grown = Math.min(cap, have + Math.max(0, now - last) * ratePerSecond);
            if (grown < cost) {
                return false;
            }
            // Refill and take one token; a lost race just retries with fresh values.
            if (tokens.compareAndSet(slot, have, grown - cost)) {
                refilled.accumulateAndGet(slot, now, Math::max);
                return true;
            }
        }
    }
}
