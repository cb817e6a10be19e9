package net.dnsoops.ops;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import net.dnsoops.core.Actuator;
import net.dnsoops.core.Condition;
import net.dnsoops.core.Health;

/**
 * A tap on the condition stream for the ops server: the last N conditions (for /status and the
 * page) and a count per condition and state (for /metrics). Not an actuator a user configures;
 * the daemon adds it to the fan-out next to the configured ones. {@link #apply} runs on the
 * core thread and only appends.
 */
public final class RecentConditions implements Actuator {
    private final int capacity;
    private final ArrayDeque<Condition> recent = new ArrayDeque<>();
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    public RecentConditions(int capacity) {
        this.capacity = capacity;
    }

    @Override
    public String name() {
        return "ops-recent";
    }

    @Override
    public void apply(Condition c) {
        counts.computeIfAbsent(c.type().wireName() + " " + c.state(), k -> new LongAdder()).increment();
        if (capacity == 0) return;
        synchronized (recent) {
            recent.addFirst(c);
            while (recent.size() > capacity) recent.removeLast();
        }
    }

    /** Newest first. */
    public List<Condition> recent() {
        synchronized (recent) {
            return new ArrayList<>(recent);
        }
    }

    /** "zone-updated raised" -> count. */
    public Map<String, Long> counts() {
        Map<String, Long> m = new TreeMap<>();
        counts.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    @Override
    public Health health() {
        return Health.ok("");
    }
}
