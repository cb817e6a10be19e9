package net.dnsoops.input.notify;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;
import org.xbill.DNS.Rcode;

/**
 * How many messages were answered, by transport and RCODE, and how many were dropped. Counted
 * in fixed arrays: no allocation per message on the hot path.
 */
public final class NotifyCounters {
    private static final String[] TRANSPORTS = {"udp", "tcp"};
    private final LongAdder[][] answers = new LongAdder[TRANSPORTS.length][16];
    private final LongAdder dropped = new LongAdder();
    private final LongAdder tsigRejected = new LongAdder();
    private final LongAdder rateLimited = new LongAdder();

    public NotifyCounters() {
        for (LongAdder[] row : answers) {
            for (int i = 0; i < row.length; i++) row[i] = new LongAdder();
        }
    }

    void answered(int rcode, String transport) {
        answers["tcp".equals(transport) ? 1 : 0][rcode & 0xf].increment();
    }

    void rateLimited() {
        rateLimited.increment();
    }

    /** Messages dropped by the per-source rate limit. */
    public long rateLimitedCount() {
        return rateLimited.sum();
    }

    void tsigRejected() {
        tsigRejected.increment();
    }

    /** NOTIFYs rejected for an unknown key or a bad signature. */
    public long tsigRejectedCount() {
        return tsigRejected.sum();
    }

    void dropped() {
        dropped.increment();
    }

    /** "udp NOERROR" -> count, sorted; only non-zero counts. */
    public Map<String, Long> answers() {
        Map<String, Long> m = new TreeMap<>();
        for (int t = 0; t < TRANSPORTS.length; t++) {
            for (int r = 0; r < 16; r++) {
                long n = answers[t][r].sum();
                if (n > 0) m.put(TRANSPORTS[t] + " " + Rcode.string(r), n);
            }
        }
        return m;
    }

    public long droppedCount() {
        return dropped.sum();
    }
}
