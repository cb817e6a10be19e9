package net.dnsoops.core;

/**
 * What survives a restart of one zone: the last verified serial and SOA timers, when it was
 * verified and when it expires (epoch milliseconds). Enough to keep an expired zone expired and
 * to report a change made while dns-oops was down as zone-updated.
 */
public record PersistedZone(String zone, long serial, long lastSuccessMs, long expireAtMs, long refresh, long retry,
                            long expire) {
}
