package net.dnsoops.route;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * A service resolved against the zones of the config: concrete zone names (lower case, trailing
 * dot) and concrete canonical prefixes. Immutable; a reload builds new ones.
 */
public record ServiceSettings(String name, Set<String> zones, List<String> prefixes, int rise, int fall,
                              Duration interval, Duration hold, ServiceConfig.WhenDegraded whenDegraded,
                              RouteAttributes up, RouteAttributes degraded) {
    public ServiceSettings {
        zones = Set.copyOf(zones);
        prefixes = List.copyOf(prefixes);
    }
}
