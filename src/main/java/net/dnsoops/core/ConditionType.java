package net.dnsoops.core;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The draft's condition vocabulary. Every actuator, hook filter and config file uses these
 * exact kebab-case names, so they live in one place.
 */
public enum ConditionType {
    /** First verified SOA for a zone; cleared when the zone expires. */
    ZONE_READY("zone-ready", Scope.ZONE),
    /** A verified serial newer (RFC 1982) than the last verified one. An event: never cleared. */
    ZONE_UPDATED("zone-updated", Scope.ZONE),
    /** The configured number of consecutive checks failed; cleared by the next success. */
    ZONE_REFRESH_FAILED("zone-refresh-failed", Scope.ZONE),
    /** The SOA EXPIRE deadline is closer than the warning period; cleared by success or expiry. */
    ZONE_EXPIRING("zone-expiring", Scope.ZONE),
    /** No successful check for SOA EXPIRE seconds; cleared by the next success. */
    ZONE_EXPIRED("zone-expired", Scope.ZONE),
    /** A check succeeded after refresh failures or expiry. An event. */
    ZONE_RECOVERED("zone-recovered", Scope.ZONE),
    /** Every zone of the service (zone group) is ready. */
    SERVICE_READY("service-ready", Scope.SERVICE),
    /** At least one zone of the service is not ready (signalled once every zone was tried). */
    SERVICE_NOT_READY("service-not-ready", Scope.SERVICE),
    /** Listeners are bound and the first checks are under way. */
    BRIDGE_STARTED("bridge-started", Scope.BRIDGE),
    /** The daemon is shutting down. */
    BRIDGE_STOPPING("bridge-stopping", Scope.BRIDGE),
    /** An operator asked this site to withdraw its routes ("dns-oops drain"); cleared by undrain. */
    DRAINING("draining", Scope.BRIDGE),
    /** A name server announced that it started (Knot's D-Bus {@code started}). An event; source names the server. */
    SERVER_UP("server-up", Scope.SERVER),
    /** A name server announced that it stops, or left the bus. An event; source names the server. */
    SERVER_DOWN("server-down", Scope.SERVER),
    /**
     * An RRSIG of a signed zone expires within the warning period (issue 10). Carries zone, source
     * (the server asked) and the fields owner, type, expiration, time-left; cleared when re-signed.
     */
    DNSSEC_EXPIRING("dnssec-expiring", Scope.ZONE),
    /** An RRSIG of a signed zone has expired (same fields as dnssec-expiring); cleared when re-signed. */
    DNSSEC_EXPIRED("dnssec-expired", Scope.ZONE),
    /**
     * A server's query rate (from its own statistics) is at or above the configured threshold.
     * Carries source (the server) and the fields rate, increase, threshold; cleared below 90% of it.
     */
    QUERY_RATE_HIGH("query-rate-high", Scope.SERVER),
    /** A server's query rate grew by at least the configured amount within one interval; cleared when it does not. */
    QUERY_RATE_RISING("query-rate-rising", Scope.SERVER),
    /**
     * An answer from a server carried an Extended DNS Error (RFC 8914). Carries source, zone (if
     * known) and the fields code, code-name, text; cleared when an answer no longer carries that code.
     */
    EDE("ede", Scope.SERVER),
    /**
     * The zone's content at its verified serial passed verification (transfer, ZONEMD, DNSSEC
     * signatures); cleared when a later serial fails it.
     */
    ZONE_VALID("zone-valid", Scope.ZONE),
    /** The zone's content at its verified serial failed verification (detail says why); cleared when a later serial passes. */
    ZONE_INVALID("zone-invalid", Scope.ZONE),
    /**
     * A local name server serves the zone (its own zone list, read by "server-zones") but dns-oops
     * does not watch it. Carries zone and source (the server); cleared once it is watched (reload)
     * or the server no longer serves it.
     */
    ZONE_UNWATCHED("zone-unwatched", Scope.ZONE);

    /** What a condition is about; decides which fields it carries. */
    public enum Scope { ZONE, SERVICE, BRIDGE, SERVER }

    private static final Map<String, ConditionType> BY_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(ConditionType::wireName, Function.identity()));

    private final String wireName;
    private final Scope scope;

    ConditionType(String wireName, Scope scope) {
        this.wireName = wireName;
        this.scope = scope;
    }

    public String wireName() {
        return wireName;
    }

    public Scope scope() {
        return scope;
    }

    /** Looks a condition up by its draft name, case-insensitively. */
    public static ConditionType fromName(String name) {
        ConditionType t = BY_NAME.get(name.toLowerCase(Locale.ROOT));
        if (t == null) {
            throw new IllegalArgumentException("unknown condition '" + name + "'; known: "
                    + String.join(", ", BY_NAME.keySet().stream().sorted().toList()));
        }
        return t;
    }

    @Override
    public String toString() {
        return wireName;
    }
}
