package net.dnsoops.core;

/**
 * A zone's state as shown to operators. Every output (HTTP, D-Bus, MQTT, hooks, logs, the CLI)
 * spells it {@link #wireName()}, lower case and hyphenated like the conditions.
 */
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
    EXPIRED;

    private final String wireName = name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');

    /** The one spelling of this state outside the code: "ready", "refresh-failing", ... */
    public String wireName() {
        return wireName;
    }

    /** The state a wire name spells, or null. */
    public static ZoneState ofWireName(String wire) {
        for (ZoneState s : values()) if (s.wireName.equals(wire)) return s;
        return null;
    }

    /** Serving the zone: verified and not expired (refresh-failing and expiring zones still are). */
    public boolean serving() {
        return this == READY || this == REFRESH_FAILING || this == EXPIRING;
    }
}
