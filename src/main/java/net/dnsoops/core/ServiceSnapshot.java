package net.dnsoops.core;

/** A service (zone group) as shown to operators. */
public record ServiceSnapshot(String service, int zones, int readyZones, int attemptedZones, boolean ready) {
}
