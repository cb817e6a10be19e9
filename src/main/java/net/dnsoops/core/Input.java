package net.dnsoops.core;

/**
 * A source of zone events (NOTIFY listener, SOA poller, Knot D-Bus listener). It feeds the core
 * only through {@link CoreSink}; it never talks to an actuator.
 */
public interface Input extends AutoCloseable {
    /** The config key and log name. */
    String name();

    /** Start feeding events; may throw if it cannot (e.g. a port is taken). */
    void start(CoreSink core) throws Exception;

    default Health health() {
        return Health.ok("");
    }

    @Override
    default void close() {
    }
}
