package net.dnsoops.input.notify;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.xbill.DNS.Rcode;

/** How many messages were answered, by transport and RCODE, and how many were dropped. */
public final class NotifyCounters {
    private final Map<String, LongAdder> answers = new ConcurrentHashMap<>();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder tsigRejected = new LongAdder();
    private final LongAdder rateLimited = new LongAdder();

    void answered(int rcode, String transport) {
        answers.computeIfAbsent(transport + " " + Rcode.string(rcode), k -> new LongAdder()).increment();
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

    /** "udp NOERROR" -> count, sorted. */
    public Map<String, Long> answers() {
        Map<String, Long> m = new TreeMap<>();
        answers.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    public long droppedCount() {
        return dropped.sum();
    }
}
