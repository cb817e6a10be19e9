package net.dnsoops.testsupport;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.dnsoops.config.ConfigException;
import net.dnsoops.config.ConfigLoader;
import net.dnsoops.config.DnsOopsConfig;
import net.dnsoops.core.ConditionType;
import net.dnsoops.core.ZoneSnapshot;
import net.dnsoops.core.ZoneState;
import net.dnsoops.route.Route;
import net.dnsoops.route.RoutePolicy;

/**
 * The query-rate example of a route actuator's docs page (its first JSON block), and the route
 * 198.51.100.53/32 it announces with every zone ready while query-rate-high holds for
 * "local-nsd": so a test can render it and find the result in the page.
 */
public record DocsQueryRateExample(DnsOopsConfig config, Route busyRoute) {
    private static final Pattern JSON = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL);

    public static DocsQueryRateExample of(String section) throws ConfigException {
        Matcher m = JSON.matcher(section);
        if (!m.find()) throw new IllegalArgumentException("no JSON example in the section");
        DnsOopsConfig c = ConfigLoader.parse(m.group(1), "docs example");
        RoutePolicy p = new RoutePolicy(Clock.systemUTC(), c.serviceSettings());
        List<ZoneSnapshot> ready = c.zoneSettings().stream()
                .map(z -> new ZoneSnapshot(z.zoneText(), z.service(), ZoneState.READY, 1, 0, 0, 0, 0, 0, "", "")).toList();
        List<net.dnsoops.core.ServiceSnapshot> verdicts = c.serviceSettings().stream()
                .map(v -> new net.dnsoops.core.ServiceSnapshot(v.name(), v.zones().size(), v.zones().size(), v.zones().size(), true))
                .toList();
        p.seed(ready, verdicts, false, Map.of(ConditionType.QUERY_RATE_HIGH, Set.of("local-nsd")));
        return new DocsQueryRateExample(c, p.desired().get("198.51.100.53/32"));
    }
}
