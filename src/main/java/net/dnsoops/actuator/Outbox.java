package net.dnsoops.actuator;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded queue with its own delivery thread, for actuators that talk to a remote end
 * (webhook URL, MQTT broker). {@link #offer} never blocks: when the queue is full the
 * <em>oldest</em> item is dropped and counted (the newest state matters most). The thread
 * delivers items in order; a failed delivery is retried with doubling backoff (capped) until it
 * succeeds, so nothing is lost while the far end is down, within the queue bound.
 */
public final class Outbox<T> implements AutoCloseable {
    /** Delivers one item; throws (anything) to have it retried later. */
    @FunctionalInterface
    public interface Delivery<T> {
        void deliver(T item) throws Exception;
    }

    private static final Logger log = LoggerFactory.getLogger(Outbox.class);

    private final String name;
    private final int capacity;
    private final Duration firstBackoff;
    private final Duration maxBackoff;
    private final Delivery<T> delivery;
    private final ArrayDeque<T> queue = new ArrayDeque<>();
    private final Thread thread;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failedAttempts = new AtomicLong();
    /** Failed attempts since the last delivery: what says a far end is gone rather than hiccupping. */
    private final AtomicLong failedInARow = new AtomicLong();
    private final AtomicReference<String> lastError = new AtomicReference<>("");
    private volatile boolean failing;
    private volatile boolean running = true;
    private boolean busy;

    public Outbox(String name, int capacity, Duration firstBackoff, Duration maxBackoff, Delivery<T> delivery) {
        if (capacity < 1) throw new IllegalArgumentException("capacity must be at least 1");
        this.name = name;
        this.capacity = capacity;
        this.firstBackoff = firstBackoff;
        this.maxBackoff = maxBackoff;
        this.delivery = delivery;
        this.thread = new Thread(this::run, "dns-oops-" + name);
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** Queues an item; drops the oldest queued one if full. Never blocks. */
    public void offer(T item) {
        T lost = null;
        synchronized (queue) {
            if (queue.size() >= capacity) {
                lost = queue.pollFirst();
                dropped.incrementAndGet();
            }
            queue.addLast(item);
            queue.notifyAll();
        }
        if (lost != null) {
            log.warn("{}: queue full ({}), dropped the oldest item: {} ({} dropped so far)", name, capacity, lost,
                    dropped.get());
        }
    }

    private void run() {
        while (running) {
            T item;
            synchronized (queue) {
                while (running && queue.isEmpty()) {
                    busy = false;
                    queue.notifyAll();
                    try {
                        queue.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (!running) return;
                item = queue.peekFirst();
                busy = true;
            }
            Duration wait = firstBackoff;
            while (running) {
                try {
                    delivery.deliver(item);
                    delivered.incrementAndGet();
                    failedInARow.set(0);
                    if (failing) log.info("{}: delivering again", name);
                    failing = false;
                    break;
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    failedAttempts.incrementAndGet();
                    failedInARow.incrementAndGet();
                    lastError.set(e.toString());
                    if (!failing) log.warn("{}: delivery failed, retrying with backoff: {}", name, e.toString());
                    failing = true;
                    try {
                        Thread.sleep(wait.toMillis());
                    } catch (InterruptedException ie) {
                        return;
                    }
                    wait = wait.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : wait.multipliedBy(2);
                    synchronized (queue) {
                        // The item may have been dropped (queue full) while we waited: move on.
                        if (queue.peekFirst() != item) break;
                    }
                }
            }
            synchronized (queue) {
                if (queue.peekFirst() == item) queue.pollFirst();
            }
        }
    }

    public long delivered() {
        return delivered.get();
    }

    public long dropped() {
        return dropped.get();
    }

    /** Deliveries that threw and were retried after a backoff. */
    public long failedAttempts() {
        return failedAttempts.get();
    }

    public int queued() {
        synchronized (queue) {
            return queue.size();
        }
    }

    public boolean failing() {
        return failing;
    }

    /** Attempts that failed since the last successful delivery. */
    public long failedInARow() {
        return failedInARow.get();
    }

    /** After this many failed attempts in a row (about a minute of doubling backoff) the far end counts as failed. */
    public static final int FAILED_AFTER = 8;

    /**
     * This outbox's share of its actuator's health: failed after {@link #FAILED_AFTER} attempts in
     * a row without a delivery, degraded while failing at all or once something was dropped, else ok.
     */
    public net.dnsoops.core.Health health() {
        String s = summary();
        if (failedInARow.get() >= FAILED_AFTER) return net.dnsoops.core.Health.failed(s);
        if (failing || failedInARow.get() > 0 || dropped.get() > 0) return net.dnsoops.core.Health.degraded(s);
        return net.dnsoops.core.Health.ok(s);
    }

    public String summary() {
        String s = delivered.get() + " delivered, " + queued() + " queued, " + dropped.get() + " dropped, "
                + failedAttempts.get() + " failed attempts" + (failedInARow.get() > 0 ? " (" + failedInARow.get()
                + " in a row)" : "");
        return failing ? s + "; failing: " + lastError.get() : s;
    }

    /** Waits up to {@code grace} for the queue to empty, then stops the thread. */
    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }

    public void close(Duration grace) {
        long end = System.nanoTime() + grace.toNanos();
        synchronized (queue) {
            while ((busy || !queue.isEmpty()) && !failing && System.nanoTime() < end) {
                try {
                    queue.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            if (!queue.isEmpty()) log.warn("{}: {} items undelivered at shutdown", name, queue.size());
            running = false;
            queue.notifyAll();
        }
        thread.interrupt();
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
