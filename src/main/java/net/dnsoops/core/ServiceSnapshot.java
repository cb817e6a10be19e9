package net.dnsoops.core;

import java.util.List;
import java.util.Map;

/**
 * A service as shown to operators: the core's one verdict ({@code ready}, with {@code reason}
 * when not) and what it was made of.
 *
 * @param reason      why it is not ready ("drained; 1 of 3 zones not ready"); empty when ready
 * @param serversDown name servers of the service that are down (probe, knotd)
 * @param notValid    zones it gates on (require-valid) that are not verified valid
 * @param states      zones by state (wire names, see {@link ZoneState#wireName()}); only states present
 * @param degraded    ready, but some zone's refreshes fail (refresh-failing, expiring): routes
 *                    carry the "degraded" attributes or are withdrawn (when-degraded)
 */
public record ServiceSnapshot(String service, int zones, int readyZones, int attemptedZones, boolean ready,
                              String reason, boolean drained, List<String> serversDown, int notValid,
                              Map<String, Integer> states, boolean degraded) {
    public ServiceSnapshot {
        serversDown = List.copyOf(serversDown);
        states = Map.copyOf(states);
    }

    /** Counts and verdict only (test doubles). */
    public ServiceSnapshot(String service, int zones, int readyZones, int attemptedZones, boolean ready) {
        this(service, zones, readyZones, attemptedZones, ready, ready ? "" : (zones - readyZones) + " of " + zones
                + " zones not ready", false, List.of(), 0, Map.of(), false);
    }
}
