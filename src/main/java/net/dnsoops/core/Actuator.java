package net.dnsoops.core;

/**
 * An output: turns conditions into actions outside DNS (routes, signals, commands).
 * {@link #apply} is called on the core's thread and must not block: queue the work.
 */
public interface Actuator extends AutoCloseable {
    /** The config key and log name, e.g. "hooks", "bird". */
    String name();

    /** Called once before the first condition. */
    default void start() throws Exception {
    }

    /** Hand one condition over; never blocks, never throws for a failed action (report it in health). */
    void apply(Condition condition);

    /** Current health, for logs and the status API. */
    Health health();

    /** Finish queued work within a bounded time, then release resources. */
    @Override
    default void close() {
    }
}
