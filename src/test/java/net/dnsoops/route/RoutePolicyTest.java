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
import net.dnsoops.core.ServiceSnapshot;
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
        p.seed(List.of(), List.of(), false, Map.of());
        return p;
    }

    void advance(RoutePolicy p, long ms) {
        clock.ms += ms;
        p.runDue();
    }

    /** The core's verdict on service "dns". */
    static Condition ready(boolean ready) {
        return new Condition(ConditionType.SERVICE_READY, ready, Instant.EPOCH, null, "dns", -1, -1, "", Map.of(), "");
    }

    static Condition notReady(String service, String why) {
        return new Condition(ConditionType.SERVICE_NOT_READY, true, Instant.EPOCH, null, service, -1, -1, "", Map.of(), why);
    }

    @Test
    void announcesExactlyWhileTheCoreSaysTheServiceIsReady() {
        RoutePolicy p = policy(service(1, 1, Duration.ZERO, ServiceConfig.WhenDegraded.ANNOUNCE, "a.", "b."));
        assertTrue(p.desired().isEmpty(), "nothing before verification");
        p.apply(zone(ConditionType.ZONE_READY, true, "a."));
        p.apply(zone(ConditionType.ZONE_READY, true, "b."));
        assertTrue(p.desired().isEmpty(), "ready zones are not enough: the core decides the service");
        p.apply(ready(true));
        assertEquals(Set.of("192.0.2.53/32", "2001:db8::53/128"), p.desired().keySet());
        assertEquals(100L, p.desired().get("192.0.2.53/32").attributes().med);
        p.apply(ready(false));
        p.apply(notReady("dns", "1 of 2 zones not ready"));
        assertTrue(p.desired().isEmpty(), "not ready withdraws");
        p.apply(ready(true));
        p.apply(notReady("other", "drained"));
        assertEquals(RouteState.UP, p.state("dns"), "another service's verdict changes nothing");
    }

    @Test
    void softStateChangesAttributesOrWithdrawsAsConfigured() {
        RoutePolicy p = policy(service(1, 1, Duration.ZERO, ServiceConfig.WhenDegraded.ANNOUNCE, "a."));
        p.apply(ready(true));
        p.apply(zone(ConditionType.ZONE_REFRESH_FAILED, true, "a."));
        assertEquals(RouteState.DEGRADED, p.state("dns"));
        assertEquals(1000L, p.desired().get("192.0.2.53/32").attributes().med);
        p.apply(zone(ConditionType.ZONE_REFRESH_FAILED, false, "a."));
        assertEquals(RouteState.UP, p.state("dns"));

        RoutePolicy w = policy(service(1, 1, Duration.ZERO, ServiceConfig.WhenDegraded.WITHDRAW, "a."));
        w.apply(ready(true));
        w.apply(zone(ConditionType.ZONE_EXPIRING, true, "a."));
        assertTrue(w.desired().isEmpty());
    }

    @Test
    void riseAndFallCountEvaluationsIntervalApart() {
        RoutePolicy p = policy(service(3, 2, Duration.ZERO, ServiceConfig.WhenDegraded.ANNOUNCE, "a."));
        p.apply(ready(true));
        assertEquals(RouteState.WITHDRAWN, p.state("dns"));
        assertEquals(clock.ms + 1000, p.nextDeadline());
        advance(p, 1000);
        assertEquals(RouteState.WITHDRAWN, p.state("dns"), "2 of 3");
        advance(p, 1000);
        assertEquals(RouteState.UP, p.state("dns"), "3 of 3");
        assertEquals(-1, p.nextDeadline());

        p.apply(ready(false));
        assertEquals(RouteState.UP, p.state("dns"), "1 of 2 failures");
        p.apply(ready(true)); // flap back: counting starts over
        advance(p, 1000);
        assertEquals(RouteState.UP, p.state("dns"));
        assertEquals(-1, p.nextDeadline());
        p.apply(ready(false));
        advance(p, 1000);
        assertEquals(RouteState.WITHDRAWN, p.state("dns"));
    }

    @Test
    void holdKeepsAStateForAMinimumTime() {
        RoutePolicy p = policy(service(1, 1, Duration.ofSeconds(10), ServiceConfig.WhenDegraded.ANNOUNCE, "a."));
        p.apply(ready(true));
        assertEquals(RouteState.UP, p.state("dns"), "first change is not held");
        p.apply(ready(false));
        assertEquals(RouteState.UP, p.state("dns"), "held");
        advance(p, 9_999);
        assertEquals(RouteState.UP, p.state("dns"));
        advance(p, 1);
        assertEquals(RouteState.WITHDRAWN, p.state("dns"));
    }

    @Test
    void drainAndStopWithdrawAtOnceBypassingHold() {
        RoutePolicy p = policy(service(1, 5, Duration.ofHours(1), ServiceConfig.WhenDegraded.ANNOUNCE, "a."));
        p.apply(ready(true));
        p.apply(bridge(ConditionType.DRAINING, true));
        assertTrue(p.desired().isEmpty());
        p.apply(bridge(ConditionType.DRAINING, false));
        assertEquals(RouteState.UP, p.state("dns"), "undrain: back as soon as healthy (rise 1)");
        p.apply(bridge(ConditionType.BRIDGE_STOPPING, true));
        assertTrue(p.desired().isEmpty());
        p.apply(ready(true));
        assertTrue(p.desired().isEmpty(), "stopping is final");
    }

    /**
     * A down server reaches routes only through the core's verdict: its server-down alone (whose
     * services may be others) withdraws nothing.
     */
    @Test
    void aServerDownAloneDoesNotWithdraw() {
        RoutePolicy p = policy(service(1, 1, Duration.ZERO, ServiceConfig.WhenDegraded.ANNOUNCE, "a."));
        p.apply(ready(true));
        p.apply(new Condition(ConditionType.SERVER_DOWN, true, Instant.EPOCH, null, null, -1, -1, "nsd",
                Map.of("services", "other"), "down"));
        assertEquals(RouteState.UP, p.state("dns"), "the probe serves another service");
    }

    @Test
    void seedsFromTheCoresSnapshot() {
        RoutePolicy p = new RoutePolicy(clock, List.of(service(1, 1, Duration.ZERO,
                ServiceConfig.WhenDegraded.ANNOUNCE, "a.")));
        List<ServiceSnapshot> ready = List.of(new ServiceSnapshot("dns", 1, 1, 1, true));
        p.seed(List.of(new ZoneSnapshot("a.", "g", ZoneState.REFRESH_FAILING, 1, 0, 0, 0, 0, 1, "", "")), ready, false,
                Map.of());
        assertEquals(RouteState.DEGRADED, p.state("dns"));
        p.seed(List.of(new ZoneSnapshot("a.", "g", ZoneState.READY, 1, 0, 0, 0, 0, 0, "", "")), ready, true, Map.of());
        assertTrue(p.desired().isEmpty(), "drained at start");
    }

    /** A reload builds new route actuators; one built while a service is not ready must not announce it. */
    @Test
    void aPolicySeededWhileTheServiceIsNotReadyAnnouncesOnlyOnceItIs() {
        RoutePolicy p = new RoutePolicy(clock, List.of(service(1, 1, Duration.ZERO,
                ServiceConfig.WhenDegraded.ANNOUNCE, "a.")));
        p.seed(List.of(new ZoneSnapshot("a.", "g", ZoneState.READY, 1, 0, 0, 0, 0, 0, "", "")),
                List.of(new ServiceSnapshot("dns", 1, 1, 1, false)), false, Map.of());
        assertTrue(p.desired().isEmpty(), "the zones are ready but the core says the service is not");
        p.apply(ready(true));
        assertEquals(RouteState.UP, p.state("dns"));
    }
}
