package net.dnsoops.core;

import java.util.List;

/** Read-only view of zone and service state, for actuators and ops that show it (never change it). */
public interface StateView {
    List<ZoneSnapshot> zones();

    List<ServiceSnapshot> services();

    /** True while the site is drained (the "draining" condition holds). */
    default boolean draining() {
        return false;
    }
}
