package net.dnsoops.core;

/** Where the core hands its conditions; the daemon fans them out to every actuator. */
@FunctionalInterface
public interface ConditionSink {
    void emit(Condition condition);
}
