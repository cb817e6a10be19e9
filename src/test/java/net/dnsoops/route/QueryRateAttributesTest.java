package net.dnsoops.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.dnsoops.core.Condition;
import net.dnsoops.core.ConditionType;
import net.dnsoops.core.ZoneSnapshot;
import net.dnsoops.core.ZoneState;
import net.dnsoops.route.RoutePolicy.RouteState;
import org.junit.jupiter.api.Test;

/**
 * query-rate-high / query-rate-rising mapped to route attributes: while one holds for a server
 * the service follows, its routes carry the extra attributes on top of the state's; on clear the
 * state's alone; announce and withdraw never depend on them.
 */
class QueryRateAttributesTest {
    static final String V4 = "192.0.2.53/32";
    final RoutePolicyTest.TestClock clock = new RoutePolicyTest.TestClock();

    static RouteAttributes attrs(Long med, List<String> communities, List<Long> prepend) {
        RouteAttributes a = new RouteAttributes();
        a.med = med;
        a.communities = communities;
        a.asPathPrepend = prepend;
        return a;
    }

    static final RouteAttributes UP = attrs(100L, List.of("65000:100"), List.of());
    static final RouteAttributes DEGRADED = attrs(1000L, List.of("65000:666"), List.of(65001L, 65001L));
    static final RouteAttributes HIGH = attrs(null, List.of("65000:700", "65000:666"), List.of(65001L));
    static final RouteAttributes RISING = attrs(500L, List.of("65000:701"), List.of(65009L));

    static ServiceSettings service(Set<String> servers) {
        return new ServiceSettings("dns", Set.of("a."), List.of(V4, "2001:db8::53/128"), 1, 1, Duration.ofSeconds(1),
                Duration.ZERO, ServiceConfig.WhenDegraded.ANNOUNCE, UP, DEGRADED,
                Map.of(ConditionType.QUERY_RATE_HIGH, HIGH, ConditionType.QUERY_RATE_RISING, RISING), servers);
    }

    RoutePolicy readyPolicy(ServiceSettings s) {
        RoutePolicy p = new RoutePolicy(clock, List.of(s));
        p.seed(List.of(), List.of(), false, Map.of());
        p.apply(RoutePolicyTest.ready(true));
        return p;
    }

    static Condition zone(ConditionType t, boolean raised) {
        return new Condition(t, raised, Instant.EPOCH, "a.", "g", 1, -1, "", Map.of(), "");
    }

    static Condition rate(ConditionType t, boolean raised, String server) {
        return new Condition(t, raised, Instant.EPOCH, null, null, -1, -1, server, Map.of("rate", "1000"), "");
    }

    static RouteAttributes announced(RoutePolicy p) {
        Route r = p.desired().get(V4);
        return r == null ? null : r.attributes();
    }

    @Test
    void queryRateHighAddsItsAttributesAndClearingRestoresTheBaseOnes() {
        RoutePolicy p = readyPolicy(service(Set.of()));
        assertEquals(UP, announced(p));

        assertTrue(p.apply(rate(ConditionType.QUERY_RATE_HIGH, true, "nsd")));
        assertEquals(attrs(100L, List.of("65000:100", "65000:700", "65000:666"), List.of(65001L)), announced(p));
        assertEquals(2, p.desired().size(), "both prefixes carry them");
        assertEquals(HIGH.communities, p.desired().get("2001:db8::53/128").attributes().communities.subList(1, 3));

        assertEquals(" (query-rate-high: nsd)", p.addedAttributesNote(), "status says why");

        assertTrue(p.apply(rate(ConditionType.QUERY_RATE_HIGH, false, "nsd")));
        assertEquals(UP, announced(p), "cleared: exactly the up attributes again");
        assertEquals("", p.addedAttributesNote());
    }

    @Test
    void degradedAndBothRateConditionsCombineTheSameWayWhateverTheOrder() {
        RouteAttributes expected = attrs(1000L, List.of("65000:666", "65000:700", "65000:701"),
                List.of(65001L, 65001L, 65001L, 65009L));

        RoutePolicy a = readyPolicy(service(Set.of()));
        a.apply(zone(ConditionType.ZONE_REFRESH_FAILED, true));
        a.apply(rate(ConditionType.QUERY_RATE_HIGH, true, "nsd"));
        a.apply(rate(ConditionType.QUERY_RATE_RISING, true, "nsd"));

        RoutePolicy b = readyPolicy(service(Set.of()));
        b.apply(rate(ConditionType.QUERY_RATE_RISING, true, "nsd"));
        b.apply(rate(ConditionType.QUERY_RATE_HIGH, true, "nsd"));
        b.apply(zone(ConditionType.ZONE_REFRESH_FAILED, true));

        assertEquals(RouteState.DEGRADED, a.state("dns"));
        assertEquals(expected, announced(a), "degraded first, then query-rate-high, then query-rate-rising; highest MED");
        assertEquals(expected, announced(b));
        assertEquals(" (query-rate-high: nsd) (query-rate-rising: nsd)", b.addedAttributesNote());

        a.apply(rate(ConditionType.QUERY_RATE_HIGH, false, "nsd"));
        a.apply(rate(ConditionType.QUERY_RATE_RISING, false, "nsd"));
        assertEquals(DEGRADED, announced(a));
        a.apply(zone(ConditionType.ZONE_REFRESH_FAILED, false));
        assertEquals(UP, announced(a));
    }

    @Test
    void neverAnnouncesNorWithdrawsByItself() {
        RoutePolicy p = new RoutePolicy(clock, List.of(service(Set.of())));
        p.seed(List.of(), List.of(), false, Map.of());
        p.apply(rate(ConditionType.QUERY_RATE_HIGH, true, "nsd"));
        assertTrue(p.desired().isEmpty(), "a busy server does not announce an unverified service");

        p.apply(RoutePolicyTest.ready(true));
        assertEquals(RouteState.UP, p.state("dns"), "a busy server is still announced");
        assertEquals(UP.plus(HIGH), announced(p));

        p.apply(RoutePolicyTest.ready(false));
        assertTrue(p.desired().isEmpty(), "not ready (e.g. expired) still withdraws");
        p.apply(RoutePolicyTest.ready(true));
        assertEquals(UP.plus(HIGH), announced(p), "back with the attributes of what still holds");
    }

    @Test
    void onlyTheServersTheServiceFollowsCountAndEachMustClear() {
        RoutePolicy p = readyPolicy(service(Set.of("nsd", "knot")));
        p.apply(rate(ConditionType.QUERY_RATE_HIGH, true, "bind-elsewhere"));
        assertEquals(UP, announced(p), "a server the service does not follow changes nothing");

        p.apply(rate(ConditionType.QUERY_RATE_HIGH, true, "nsd"));
        p.apply(rate(ConditionType.QUERY_RATE_HIGH, true, "knot"));
        p.apply(rate(ConditionType.QUERY_RATE_HIGH, false, "nsd"));
        assertEquals(UP.plus(HIGH), announced(p), "knot still busy");
        p.apply(rate(ConditionType.QUERY_RATE_HIGH, false, "knot"));
        assertEquals(UP, announced(p));
    }

    @Test
    void aReloadedPolicyStartsFromTheConditionsThatHoldNow() {
        RoutePolicy p = new RoutePolicy(clock, List.of(service(Set.of())));
        p.seed(List.of(new ZoneSnapshot("a.", "g", ZoneState.READY, 1, 0, 0, 0, 0, 0, "", "")),
                List.of(new net.dnsoops.core.ServiceSnapshot("dns", 1, 1, 1, true)), false, Map.of(ConditionType.QUERY_RATE_RISING, Set.of("nsd")));
        assertEquals(UP.plus(RISING), announced(p));
        p.apply(rate(ConditionType.QUERY_RATE_RISING, false, "nsd"));
        assertEquals(UP, announced(p));
    }

    @Test
    void aServiceWithoutAMappingKeepsItsAttributes() {
        RoutePolicy p = new RoutePolicy(clock, List.of(RoutePolicyTest.service(1, 1, Duration.ZERO,
                ServiceConfig.WhenDegraded.ANNOUNCE, "a.")));
        p.seed(List.of(), List.of(), false, Map.of());
        p.apply(RoutePolicyTest.ready(true));
        RouteAttributes before = announced(p);
        p.apply(rate(ConditionType.QUERY_RATE_HIGH, true, "nsd"));
        assertEquals(before, announced(p));
    }
}
