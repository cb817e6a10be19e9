package net.dnsoops.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.dnsoops.core.Condition;
import net.dnsoops.core.ConditionType;
import net.dnsoops.core.ZoneSnapshot;
import net.dnsoops.core.ZoneState;
import net.dnsoops.route.RoutePolicy.RouteState;
import org.junit.jupiter.api.Test;

class RoutePolicyTest {
    /** A clock the test moves by hand. */
    static final class TestClock extends Clock {
        long ms = 1_000_000;

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(ms);
        }
    }

    final TestClock clock = new TestClock();

    static RouteAttributes attrs(long med) {
        RouteAttributes a = new RouteAttributes();
        a.med = med;
        return a;
    }

    static ServiceSettings service(int rise, int fall, Duration hold, ServiceConfig.WhenDegraded soft, String... zones) {
        return new ServiceSettings("dns", Set.of(zones), List.of("192.0.2.53/32", "2001:db8::53/128"), rise, fall,
                Duration.ofSeconds(1), hold, soft, attrs(100), attrs(1000));
    }

    static Condition zone(ConditionType t, boolean raised, String zone) {
        return new Condition(t, raised, Instant.EPOCH, zone, "g", 1, -1, "", Map.of(), "");
    }

    static Condition bridge(ConditionType t, boolean raised) {
        return Condition.bridge(t, raised, Instant.EPOCH);
    }

    RoutePolicy policy(ServiceSettings s) {
        RoutePolicy p = new RoutePolicy(clock, List.of(s));
        p.seed(List.of(), false);
        return p;
    }

    void advance(RoutePolicy p, long ms) {
        clock.ms += ms;
        p.runDue();
    }

    @Test
    void announcesOnlyWhenEveryZoneIsReady() {
        RoutePolicy p = policy(service(1, 1, Duration.ZERO, ServiceConfig.WhenDegraded.ANNOUNCE, "a.", "b."));
        assertTrue(p.desired().isEmpty(), "nothing before verification");
        p.apply(zone(ConditionType.ZONE_READY, true, "a."));
        assertTrue(p.desired().isEmpty(), "one of two zones is not enough");
        p.apply(zone(ConditionType.ZONE_READY, true, "b."));
        assertEquals(Set.of("192.0.2.53/32", "2001:db8::53/128"), p.desired().keySet());
        assertEquals(100L, p.desired().get("192.0.2.53/32").attributes().med);
        p.apply(zone(ConditionType.ZONE_EXPIRED, true, "a."));
        assertTrue(p.desired().isEmpty(), "expired zone withdraws");
    }

    @Test
    void softStateChangesAttributesOrWithdrawsAsConfigured() {
        RoutePolicy p = policy(service(1, 1, Duration.ZERO, ServiceConfig.WhenDegraded.ANNOUNCE, "a."));
        p.apply(zone(ConditionType.ZONE_READY, true, "a."));
        p.apply(zone(ConditionType.ZONE_REFRESH_FAILED, true, "a."));
        assertEquals(RouteState.DEGRADED, p.state("dns"));
        assertEquals(1000L, p.desired().get("192.0.2.53/32").attributes().med);
        p.apply(zone(ConditionType.ZONE_REFRESH_FAILED, false, "a."));
        assertEquals(RouteState.UP, p.state("dns"));

        RoutePolicy w = policy(service(1, 1, Duration.ZERO, ServiceConfig.WhenDegraded.WITHDRAW, "a."));
        w.apply(zone(ConditionType.ZONE_READY, true, "a."));
        w.apply(zone(ConditionType.ZONE_EXPIRING, true, "a."));
        assertTrue(w.desired().isEmpty());
    }

    @Test
    void riseAndFallCountEvaluationsIntervalApart() {
        RoutePolicy p = policy(service(3, 2, Duration.ZERO, ServiceConfig.WhenDegraded.ANNOUNCE, "a."));
        p.apply(zone(ConditionType.ZONE_READY, true, "a."));
        assertEquals(RouteState.WITHDRAWN, p.state("dns"));
        assertEquals(clock.ms + 1000, p.nextDeadline());
        advance(p, 1000);
        assertEquals(RouteState.WITHDRAWN, p.state("dns"), "2 of 3");
        advance(p, 1000);
        assertEquals(RouteState.UP, p.state("dns"), "3 of 3");
        assertEquals(-1, p.nextDeadline());

        p.apply(zone(ConditionType.ZONE_READY, false, "a."));
        assertEquals(RouteState.UP, p.state("dns"), "1 of 2 failures");
        p.apply(zone(ConditionType.ZONE_READY, true, "a.")); // flap back: counting starts over
        advance(p, 1000);
        assertEquals(RouteState.UP, p.state("dns"));
        assertEquals(-1, p.nextDeadline());
        p.apply(zone(ConditionType.ZONE_READY, false, "a."));
        advance(p, 1000);
        assertEquals(RouteState.WITHDRAWN, p.state("dns"));
    }

    @Test
    void holdKeepsAStateForAMinimumTime() {
        RoutePolicy p = policy(service(1, 1, Duration.ofSeconds(10), ServiceConfig.WhenDegraded.ANNOUNCE, "a."));
        p.apply(zone(ConditionType.ZONE_READY, true, "a."));
        assertEquals(RouteState.UP, p.state("dns"), "first change is not held");
        p.apply(zone(ConditionType.ZONE_READY, false, "a."));
        assertEquals(RouteState.UP, p.state("dns"), "held");
        advance(p, 9_999);
        assertEquals(RouteState.UP, p.state("dns"));
        advance(p, 1);
        assertEquals(RouteState.WITHDRAWN, p.state("dns"));
    }

    @Test
    void drainAndStopWithdrawAtOnceBypassingHold() {
        RoutePolicy p = policy(service(1, 5, Duration.ofHours(1), ServiceConfig.WhenDegraded.ANNOUNCE, "a."));
        p.apply(zone(ConditionType.ZONE_READY, true, "a."));
        p.apply(bridge(ConditionType.DRAINING, true));
        assertTrue(p.desired().isEmpty());
        p.apply(bridge(ConditionType.DRAINING, false));
        assertEquals(RouteState.UP, p.state("dns"), "undrain: back as soon as healthy (rise 1)");
        p.apply(bridge(ConditionType.BRIDGE_STOPPING, true));
        assertTrue(p.desired().isEmpty());
        p.apply(zone(ConditionType.ZONE_READY, true, "a."));
        assertTrue(p.desired().isEmpty(), "stopping is final");
    }

    @Test
    void aStoppedNameServerWithdrawsUntilItIsBack() {
        RoutePolicy p = policy(service(1, 1, Duration.ZERO, ServiceConfig.WhenDegraded.ANNOUNCE, "a."));
        p.apply(zone(ConditionType.ZONE_READY, true, "a."));
        assertEquals(RouteState.UP, p.state("dns"));
        Condition down = new Condition(ConditionType.SERVER_DOWN, true, Instant.EPOCH, null, null, -1, -1,
                "cz.nic.knotd", Map.of(), "stopped");
        p.apply(down);
        assertTrue(p.desired().isEmpty(), "server-down withdraws although the zone is still ready");
        p.apply(new Condition(ConditionType.SERVER_UP, true, Instant.EPOCH, null, null, -1, -1, "cz.nic.knotd",
                Map.of(), "started"));
        assertEquals(RouteState.UP, p.state("dns"));
    }

    @Test
    void aClearedServerDownTheProbeOfARemovedServerReannounces() {
        RoutePolicy p = policy(service(1, 1, Duration.ZERO, ServiceConfig.WhenDegraded.ANNOUNCE, "a."));
        p.apply(zone(ConditionType.ZONE_READY, true, "a."));
        p.apply(new Condition(ConditionType.SERVER_DOWN, true, Instant.EPOCH, null, null, -1, -1, "nsd", Map.of(), "down"));
        assertTrue(p.desired().isEmpty());
        p.apply(new Condition(ConditionType.SERVER_DOWN, false, Instant.EPOCH, null, null, -1, -1, "nsd", Map.of(),
                "no longer probed (removed from \"probe\")"));
        assertEquals(RouteState.UP, p.state("dns"), "a reload removed the probe: nothing holds the route back");
    }

    @Test
    void seedsFromTheCoresSnapshot() {
        RoutePolicy p = new RoutePolicy(clock, List.of(service(1, 1, Duration.ZERO,
                ServiceConfig.WhenDegraded.ANNOUNCE, "a.")));
        p.seed(List.of(new ZoneSnapshot("a.", "g", ZoneState.REFRESH_FAILING, 1, 0, 0, 0, 0, 1, "", "")), false);
        assertEquals(RouteState.DEGRADED, p.state("dns"));
        p.seed(List.of(new ZoneSnapshot("a.", "g", ZoneState.READY, 1, 0, 0, 0, 0, 0, "", "")), true);
        assertTrue(p.desired().isEmpty(), "drained at start");
    }

    /** A reload builds new route actuators; one built while the name server is down must not announce. */
    @Test
    void aPolicySeededWhileAServerIsDownAnnouncesOnlyOnceItIsUp() {
        RoutePolicy p = new RoutePolicy(clock, List.of(service(1, 1, Duration.ZERO,
                ServiceConfig.WhenDegraded.ANNOUNCE, "a.")));
        p.seed(List.of(new ZoneSnapshot("a.", "g", ZoneState.READY, 1, 0, 0, 0, 0, 0, "", "")), false,
                Map.of(ConditionType.SERVER_DOWN, java.util.Set.of("nsd")));
        assertTrue(p.desired().isEmpty(), "the zones are ready but the server is down");
        p.apply(new Condition(ConditionType.SERVER_UP, true, Instant.EPOCH, null, null, -1, -1, "nsd", Map.of(), "up"));
        assertEquals(RouteState.UP, p.state("dns"));
    }
}
