package net.dnsoops.core;

import java.util.List;

/** Read-only view of zone and service state, for actuators and ops that show it (never change it). */
public interface StateView {
    List<ZoneSnapshot> zones();

    List<ServiceSnapshot> services();

    /**
     * The server conditions that hold now and change route attributes (query-rate-high,
     * query-rate-rising), each with the servers it holds for: what a route actuator started
     * after they were raised (a config reload) would otherwise not know until they clear.
     */
    default java.util.Map<ConditionType, java.util.Set<String>> serverConditions() {
        return java.util.Map.of();
    }

    /** True while the site is drained (the "draining" condition holds). */
    default boolean draining() {
        return false;
    }
}
