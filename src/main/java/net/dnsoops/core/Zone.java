package net.dnsoops.core;

import java.net.InetAddress;

/**
 * The live state of one zone, as a secondary keeps it. Owned by the core's thread; nothing else
 * writes it. State changes only when a check result is committed or a deadline passes.
 */
final class Zone {
    ZoneSettings settings;

    /** Last verified serial, or -1 before the first successful check. */
    long serial = -1;
    /** SOA timers (seconds) from the last successful check; 0 when unknown. */
    long soaRefresh;
    long soaRetry;
    long soaExpire;

    long lastSuccessMs = -1;
    long lastCheckMs = -1;
    /** When the last check was sent, for the minimum interval between checks. */
    long lastCheckStartMs = Long.MIN_VALUE / 2;
    /** When the next check is due, or -1 while none is scheduled (no primaries and no notifier yet). */
    long nextCheckMs = -1;
    /** When the zone expires (last success + EXPIRE), or -1 before the first success. */
    long expireAtMs = -1;
    int consecutiveFailures;
    String lastFailure = "";

    /** A check is outstanding; further NOTIFYs only set {@link #recheck}. */
    boolean inFlight;
    boolean recheck;
    /** Who notified since the last check started, reported with zone-updated. */
    InetAddress pendingNotifier;
    InetAddress checkNotifier;
    InetAddress lastNotifier;

    /** At least one check finished (or none is possible): counts towards service readiness. */
    boolean attempted;
    boolean ready;
    boolean expired;
    boolean refreshFailedRaised;
    boolean expiringRaised;

    /** The zone's place in {@link ZoneTimerQueue} (-1: no deadline), which also keeps when it is due. */
    int timerSlot = -1;

    /**
     * The service the zone counts towards, the one of {@code settings.service()}: set when the
     * zone joins it, so the per-update counting needs no lookup by name (that lookup was 8 % of
     * the core thread at full load in scripts/bench, verified).
     */
    Service service;
    /**
     * Further services the zone counts towards: "services" entries that list it or its group
     * under another name. null (the usual case) when none, so a million zones pay nothing.
     */
    Service[] also;

    Zone(ZoneSettings settings) {
        this.settings = settings;
    }

    String name() {
        return settings.zoneText();
    }

    ZoneState state() {
        if (expired) return ZoneState.EXPIRED;
        if (!ready) return attempted ? ZoneState.FAILING : ZoneState.PENDING;
        if (expiringRaised) return ZoneState.EXPIRING;
        if (refreshFailedRaised) return ZoneState.REFRESH_FAILING;
        return ZoneState.READY;
    }

    ZoneSnapshot snapshot() {
        return new ZoneSnapshot(name(), settings.service(), state(), serial, lastSuccessMs, lastCheckMs,
                inFlight ? -1 : nextCheckMs, expireAtMs, consecutiveFailures, lastFailure,
                AddressText.of(lastNotifier));
    }
}
