package net.dnsoops.core;

import java.util.Arrays;

/**
 * The zones' next deadlines: a binary min-heap of zones by {@link Zone#timerDueMs}, each zone in
 * it at most once, its position kept in {@link Zone#timerSlot} so that moving or cancelling its
 * deadline is O(log n) in place.
 *
 * <p>Why not a PriorityQueue of deadline entries, invalidated lazily: every check rescheduled
 * its zone, so each zone update left a stale entry behind until its (hours-away) time came. Under
 * churn the queue grew without bound (scripts/bench, verified: 400,000 entries for 50,000 zones
 * after eight rounds, one more per update), and every young GC copied it. Here the heap never
 * holds more entries than zones, and rescheduling allocates nothing.
 */
final class ZoneTimerQueue {
    private Zone[] heap = new Zone[16];
    private int size;

    int size() {
        return size;
    }

    /** The zone with the earliest deadline, or null when none is scheduled. */
    Zone peek() {
        return size == 0 ? null : heap[0];
    }

    /** Removes and returns the zone with the earliest deadline, or null. */
    Zone poll() {
        if (size == 0) return null;
        Zone first = heap[0];
        removeAt(0);
        return first;
    }

    /** Sets (or moves) {@code z}'s single deadline to {@code atMs}. */
    void schedule(Zone z, long atMs) {
        z.timerDueMs = atMs;
        if (z.timerSlot < 0) {
            if (size == heap.length) heap = Arrays.copyOf(heap, size * 2);
            place(z, size++);
            siftUp(z.timerSlot);
        } else {
            siftDown(siftUp(z.timerSlot));
        }
    }

    /** Removes {@code z}'s deadline, if it has one. */
    void cancel(Zone z) {
        if (z.timerSlot >= 0) removeAt(z.timerSlot);
    }

    private void removeAt(int i) {
        Zone gone = heap[i];
        gone.timerSlot = -1;
        Zone last = heap[--size];
        heap[size] = null;
        if (i == size) return;
        place(last, i);
        siftDown(siftUp(i));
    }

    /** Moves the zone at {@code i} towards the root while it is earlier than its parent; returns where it ends. */
    private int siftUp(int i) {
        Zone z = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            Zone p = heap[parent];
            if (p.timerDueMs <= z.timerDueMs) break;
            place(p, i);
            i = parent;
        }
        place(z, i);
        return i;
    }

    private void siftDown(int i) {
        Zone z = heap[i];
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) break;
            if (child + 1 < size && heap[child + 1].timerDueMs < heap[child].timerDueMs) child++;
            if (z.timerDueMs <= heap[child].timerDueMs) break;
            place(heap[child], i);
            i = child;
        }
        place(z, i);
    }

    private void place(Zone z, int i) {
        heap[i] = z;
        z.timerSlot = i;
    }
}
