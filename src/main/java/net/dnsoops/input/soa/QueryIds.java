package net.dnsoops.input.soa;

import java.security.SecureRandom;

/**
 * Unpredictable 16-bit query IDs and socket choices, drawn from SecureRandom a few kilobytes at a
 * time: asking SecureRandom (and dnsjava's Header, which does) once per query cost more CPU
 * than the rest of building the query. Still unpredictable to an off-path spoofer.
 */
final class QueryIds {
    private final SecureRandom random = new SecureRandom();
    private final byte[] pool = new byte[8192];
    private int next = pool.length;

    /** A random number in [0, 65536). */
    synchronized int next16() {
        if (next + 2 > pool.length) {
            random.nextBytes(pool);
            next = 0;
        }
        int v = ((pool[next] & 0xff) << 8) | (pool[next + 1] & 0xff);
        next += 2;
        return v;
    }
}
