package net.dnsoops.bench;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import net.dnsoops.core.Actuator;
import net.dnsoops.core.Condition;
import net.dnsoops.core.ConditionType;
import net.dnsoops.core.Health;

/** The in-process actuator of the benchmark: counts conditions and timestamps each zone's last. */
final class ConditionCounter implements Actuator {
    final AtomicLong updated = new AtomicLong();
    final AtomicLong ready = new AtomicLong();
    final AtomicLongArray updatedAtNanos;

    ConditionCounter(int zones) {
        updatedAtNanos = new AtomicLongArray(zones);
    }

    @Override
    public String name() {
        return "bench-counter";
    }

    @Override
    public void apply(Condition c) {
        if (!c.raised()) return;
        if (c.type() == ConditionType.ZONE_UPDATED) {
            updatedAtNanos.set(index(c.zone()), System.nanoTime());
            updated.incrementAndGet();
        } else if (c.type() == ConditionType.ZONE_READY) {
            ready.incrementAndGet();
        }
    }

    /** "z123.bench." -> 123 */
    static int index(String zone) {
        int n = 0;
        for (int i = 1; i < zone.length() && zone.charAt(i) != '.'; i++) n = n * 10 + (zone.charAt(i) - '0');
        return n;
    }

    @Override
    public Health health() {
        return Health.ok("");
    }
}
