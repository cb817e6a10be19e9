package net.dnsoops.core;

/** A zone's state as shown to operators. */
public enum ZoneState {
    /** Not yet checked. */
    PENDING,
    /** Never verified: every check so far failed, or no primary is configured and no NOTIFY came. */
    FAILING,
    /** Verified and within its timers. */
    READY,
    /** Verified earlier, but the configured number of refreshes failed; still serving. */
    REFRESH_FAILING,
    /** Refreshes failing and the expire deadline is near. */
    EXPIRING,
    /** No successful check within SOA EXPIRE: not serving. */
    EXPIRED
}
