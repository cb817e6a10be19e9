package net.dnsoops.route;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import net.dnsoops.config.Validated;
import net.dnsoops.core.ConditionType;
import org.xbill.DNS.Name;

/**
 * One entry of the config's "services" map: which zones make up an anycast service, which
 * prefixes it announces, and how eagerly routes follow the zones' state. Field initialisers are
 * the defaults.
 */
public final class ServiceConfig implements Validated {
    /** What to do in the soft state (a zone's refresh failing, not yet expired). */
    public enum WhenDegraded { @JsonProperty("announce") ANNOUNCE, @JsonProperty("withdraw") WITHDRAW }

    /** Zones of the service, by name. */
    public List<Name> zones = List.of();
    /**
     * Also every zone whose "group" is this; null: none. zones and group may be combined, and
     * zones whose group is the service's own name always belong to it.
     */
    public String group;
    /**
     * Prefixes to announce while the service is up; IPv4 and IPv6. A prefix with {field}
     * placeholders is expanded once per zone with that zone's fields ("198.51.100.{last-octet}/32").
     */
    public List<String> prefixes = List.of();
    /** Healthy this many evaluations in a row (interval apart) before announcing. */
    public int rise = 1;
    /** Unhealthy this many evaluations in a row before withdrawing (or degrading). */
    public int fall = 1;
    /** Time between evaluations while rising or falling. */
    public Duration interval = Duration.ofSeconds(1);
    /** A route state is kept at least this long before it changes again (drain and stop excepted). */
    public Duration hold = Duration.ZERO;
    /** "announce" (with the "degraded" attributes) or "withdraw". */
    public WhenDegraded whenDegraded = WhenDegraded.ANNOUNCE;
    /** Attributes while every zone is ready and refreshing. */
    public RouteAttributes up = RouteAttributes.none();
    /** Attributes in the soft state; null: the same as "up". */
    public RouteAttributes degraded;
    /**
     * Attributes added (see {@link RouteAttributes#plus}) to the state's while a server of
     * {@code queryRateServers} has query-rate-high: a busy site stays announced, less attractive.
     * null: none.
     */
    public RouteAttributes queryRateHigh;
    /** Likewise while such a server has query-rate-rising; added after query-rate-high's. null: none. */
    public RouteAttributes queryRateRising;
    /**
     * Whose query rate counts, by the "name" of their "stats" entry (the conditions' source).
     * Empty: every server in "stats" (this site's servers).
     */
    public List<String> queryRateServers = List.of();

    @Override
    public void validate() {
        if (prefixes.isEmpty()) throw new IllegalArgumentException("a service needs at least one prefix");
        if (rise < 1) throw new IllegalArgumentException("\"rise\" must be at least 1");
        if (fall < 1) throw new IllegalArgumentException("\"fall\" must be at least 1");
        if (interval.isNegative() || interval.isZero()) throw new IllegalArgumentException("\"interval\" must be positive");
        if (hold.isNegative()) throw new IllegalArgumentException("\"hold\" must not be negative");
        for (String p : prefixes) PrefixTemplate.check(p);
        if (!queryRateServers.isEmpty() && queryRateHigh == null && queryRateRising == null) {
            throw new IllegalArgumentException("\"query-rate-servers\" needs \"query-rate-high\" or \"query-rate-rising\""
                    + " (the attributes to add)");
        }
        for (String s : queryRateServers) {
            if (s == null || s.isBlank()) throw new IllegalArgumentException("\"query-rate-servers\" entries must be names");
        }
    }

    /** The attributes added per condition, in the order they are applied; empty: none. */
    public Map<ConditionType, RouteAttributes> addedWhile() {
        Map<ConditionType, RouteAttributes> m =
                new EnumMap<>(ConditionType.class);
        if (queryRateHigh != null) m.put(ConditionType.QUERY_RATE_HIGH, queryRateHigh);
        if (queryRateRising != null) m.put(ConditionType.QUERY_RATE_RISING, queryRateRising);
        return m;
    }
}
