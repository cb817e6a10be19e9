package net.dnsoops.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ZoneTimerQueueTest {
    private static Zone zone(int i) {
        return new Zone(ZoneWatcherTest.zone("z" + i + ".test.", "svc"));
    }

    @Test
    void zonesComeOutInDeadlineOrderAndAMovedDeadlineCountsOnce() {
        ZoneTimerQueue q = new ZoneTimerQueue();
        Zone a = zone(1);
        Zone b = zone(2);
        Zone c = zone(3);
        q.schedule(a, 300);
        q.schedule(b, 100);
        q.schedule(c, 200);
        q.schedule(b, 400); // moved later: still one entry
        assertEquals(3, q.size());
        assertSame(c, q.poll());
        assertSame(a, q.poll());
        assertSame(b, q.poll());
        assertNull(q.poll());
        assertEquals(-1, b.timerSlot, "a polled zone is no longer queued");
    }

    @Test
    void cancelRemovesOnlyThatZoneAndIsHarmlessTwice() {
        ZoneTimerQueue q = new ZoneTimerQueue();
        Zone a = zone(1);
        Zone b = zone(2);
        q.schedule(a, 100);
        q.schedule(b, 200);
        q.cancel(a);
        q.cancel(a);
        assertEquals(1, q.size());
        assertSame(b, q.peek());
    }

    /** Random schedules, moves, cancels and polls against a plain map of zone → deadline. */
    @Test
    void matchesAReferenceUnderRandomChurn() {
        Random r = new Random(8);
        ZoneTimerQueue q = new ZoneTimerQueue();
        List<Zone> zones = new ArrayList<>();
        for (int i = 0; i < 500; i++) zones.add(zone(i));
        Map<Zone, Long> expected = new HashMap<>();
        for (int step = 0; step < 100_000; step++) {
            Zone z = zones.get(r.nextInt(zones.size()));
            int op = r.nextInt(10);
            if (op < 6) {
                long at = r.nextInt(1_000_000);
                q.schedule(z, at);
                expected.put(z, at);
            } else if (op < 8) {
                q.cancel(z);
                expected.remove(z);
            } else {
                long due = q.peekDueMs();
                Zone first = q.poll();
                if (expected.isEmpty()) {
                    assertNull(first);
                    assertEquals(-1, due);
                } else {
                    long min = expected.values().stream().min(Comparator.naturalOrder()).orElseThrow();
                    assertEquals(min, due, "step " + step);
                    assertEquals(min, expected.remove(first));
                }
            }
            assertEquals(expected.size(), q.size(), "step " + step);
        }
        long last = Long.MIN_VALUE;
        while (q.size() > 0) {
            long due = q.peekDueMs();
            assertEquals(expected.remove(q.poll()), due);
            assertEquals(true, due >= last);
            last = due;
        }
        assertEquals(Map.of(), expected);
    }
}
