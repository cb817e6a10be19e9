package net.dnsoops.core;

/** A read-only copy of one zone's state for status output; times in epoch milliseconds, -1 if none. */
public record ZoneSnapshot(String zone, String service, ZoneState state, long serial, long lastSuccessMs,
                           long lastCheckMs, long nextCheckMs, long expireAtMs, int consecutiveFailures,
                           String lastFailure, String lastNotifier) {
}
