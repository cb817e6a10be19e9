package net.dnsoops.core;

import java.util.Arrays;

/**
 * The zones' next deadlines: a min-heap of zones by deadline, each zone in it at most once, its
 * position kept in {@link Zone#timerSlot} so that moving or cancelling its deadline is
 * O(log n) in place.
 *
 * <p>Why not a PriorityQueue of deadline entries, invalidated lazily: every check rescheduled
 * its zone, so each zone update left a stale entry behind until its (hours-away) time came. Under
 * churn the queue grew without bound (scripts/bench, verified: 400,000 entries for 50,000 zones
 * after eight rounds, one more per update), and every young GC copied it. Here the heap never
 * holds more entries than zones, and rescheduling allocates nothing.
 *
 * <p>Why four children per node and the deadlines in their own array: every zone update moves
 * its zone twice (to its expiry while the check is in flight, then to its next refresh), and a
 * move walks the heap's height. With the deadlines kept in the zone objects, each level of a
 * binary heap read two zones scattered over the heap of the JVM, cache misses one after another
 * (the core thread's top frames in a profile of scripts/bench, verified). Here a level's
 * comparisons read neighbouring longs, and a 4-ary heap has half the levels.
 */
final class ZoneTimerQueue {
    private Zone[] zones = new Zone[16];
    /** {@code due[i]} is the deadline (epoch ms) of {@code zones[i]}. */
    private long[] due = new long[16];
    private int size;

    int size() {
        return size;
    }

    /** The zone with the earliest deadline, or null when none is scheduled. */
    Zone peek() {
        return size == 0 ? null : zones[0];
    }

    /** The earliest deadline (epoch ms), or -1 when none is scheduled. */
    long peekDueMs() {
        return size == 0 ? -1 : due[0];
    }

    /** Removes and returns the zone with the earliest deadline, or null. */
    Zone poll() {
        if (size == 0) return null;
        Zone first = zones[0];
        removeAt(0);
        return first;
    }

    /** Sets (or moves) {@code z}'s single deadline to {@code atMs}. */
    void schedule(Zone z, long atMs) {
        int i = z.timerSlot;
        if (i < 0) {
            if (size == zones.length) {
                zones = Arrays.copyOf(zones, size * 2);
                due = Arrays.copyOf(due, size * 2);
            }
            siftUp(z, atMs, size++);
        } else if (atMs < due[i]) {
            siftUp(z, atMs, i);
        } else if (atMs > due[i]) {
            siftDown(z, atMs, i);
        }
    }

    /** Removes {@code z}'s deadline, if it has one. */
    void cancel(Zone z) {
        if (z.timerSlot >= 0) removeAt(z.timerSlot);
    }

    private void removeAt(int i) {
        zones[i].timerSlot = -1;
        Zone last = zones[--size];
        long lastDue = due[size];
        zones[size] = null;
        if (i == size) return;
        if (siftUp(last, lastDue, i) == i) siftDown(last, lastDue, i);
    }

    /** Puts {@code z} at {@code i} or, while it is earlier than the parent there, nearer the root; returns where. */
    private int siftUp(Zone z, long at, int i) {
        while (i > 0) {
            int parent = (i - 1) >>> 2;
            if (due[parent] <= at) break;
            place(zones[parent], due[parent], i);
            i = parent;
        }
        place(z, at, i);
        return i;
    }

    /** Puts {@code z} at {@code i} or, while a child there is earlier, further from the root. */
    private void siftDown(Zone z, long at, int i) {
        while (true) {
            int first = 4 * i + 1;
            if (first >= size) break;
            int min = first;
            for (int c = first + 1, end = Math.min(first + 4, size); c < end; c++) {
                if (due[c] < due[min]) min = c;
            }
            if (at <= due[min]) break;
            place(zones[min], due[min], i);
            i = min;
        }
        place(z, at, i);
    }

    private void place(Zone z, long at, int i) {
        zones[i] = z;
        due[i] = at;
        z.timerSlot = i;
    }
}
