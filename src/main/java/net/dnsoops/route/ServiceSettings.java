package net.dnsoops.route;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.dnsoops.core.ConditionType;

/**
 * A service resolved against the zones of the config: concrete zone names (lower case, trailing
 * dot) and concrete canonical prefixes. Immutable; a reload builds new ones.
 *
 * @param addedWhile       attributes added to the state's while a server condition holds
 *                         (query-rate-high, query-rate-rising), applied in the enum's order
 * @param queryRateServers whose conditions count (the conditions' source); empty: every server
 */
public record ServiceSettings(String name, Set<String> zones, List<String> prefixes, int rise, int fall,
                              Duration interval, Duration hold, ServiceConfig.WhenDegraded whenDegraded,
                              RouteAttributes up, RouteAttributes degraded,
                              Map<ConditionType, RouteAttributes> addedWhile, Set<String> queryRateServers) {
    public ServiceSettings {
        zones = Set.copyOf(zones);
        prefixes = List.copyOf(prefixes);
        // EnumMap: iteration in ConditionType order, so combined attributes never depend on config order
        addedWhile = addedWhile.isEmpty() ? Map.of() : java.util.Collections.unmodifiableMap(new EnumMap<>(addedWhile));
        queryRateServers = Set.copyOf(queryRateServers);
    }

    /** A service whose attributes follow its route state only. */
    public ServiceSettings(String name, Set<String> zones, List<String> prefixes, int rise, int fall,
                           Duration interval, Duration hold, ServiceConfig.WhenDegraded whenDegraded,
                           RouteAttributes up, RouteAttributes degraded) {
        this(name, zones, prefixes, rise, fall, interval, hold, whenDegraded, up, degraded, Map.of(), Set.of());
    }

    /** True if conditions of {@code server} change this service's attributes. */
    public boolean followsServer(String server) {
        return queryRateServers.isEmpty() || queryRateServers.contains(server);
    }
}
