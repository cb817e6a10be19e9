package net.dnsoops.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

/**
 * A service is a named set of zones: those of its group and those a "services" entry lists. The
 * core decides each one's readiness once, with a reason, drained included.
 */
class ZoneWatcherServicesTest {
    final MutableClock clock = new MutableClock();
    final List<CheckRequest> checks = new ArrayList<>();
    final List<Condition> conditions = new ArrayList<>();
    final ZoneWatcher w = new ZoneWatcher(clock, new Random(1), checks::add, conditions::add);

    List<String> verdicts() {
        return conditions.stream().filter(c -> c.zone() == null && c.service() != null)
                .map(c -> c.type().wireName() + (c.raised() ? "" : ":cleared") + "/" + c.service()
                        + (c.raised() && !c.detail().isEmpty() ? " (" + c.detail() + ")" : "")).toList();
    }

    void ready(String zone) {
        w.checkFinished(CheckResult.success(ZoneWatcherTest.name(zone), 1, 3600, 60, 86400, ZoneWatcherTest.PRIMARY));
    }

    void failed(String zone) {
        w.checkFinished(CheckResult.failure(ZoneWatcherTest.name(zone), "timeout"));
    }

    static Map<String, Set<Name>> listing(String service, String... zones) {
        Set<Name> names = new java.util.HashSet<>();
        for (String z : zones) names.add(ZoneWatcherTest.name(z));
        return Map.of(service, names);
    }

    @Test
    void aZoneCountsTowardsItsGroupAndEveryServiceListingIt() {
        w.configure(List.of(ZoneWatcherTest.zone("a.test.", "default"), ZoneWatcherTest.zone("b.test.", "default")),
                listing("dns", "a.test."));
        w.start();
        w.runDue();
        ready("a.test.");
        failed("b.test.");
        assertEquals(List.of("service-ready/dns", "service-not-ready/default (1 of 2 zones not ready)"), verdicts());
        Map<String, ServiceSnapshot> s = new java.util.HashMap<>();
        w.zonePage(ZoneQuery.first(0)).services().forEach(x -> s.put(x.service(), x));
        assertEquals(1, s.get("dns").zones());
        assertEquals(Map.of("ready", 1), s.get("dns").states());
        assertEquals(Map.of("ready", 1, "failing", 1), s.get("default").states());
        assertEquals(2, w.zoneCount(), "a zone in two services is still one zone");
        assertEquals(1, (int) w.readiness().zones().get(ZoneState.READY));

        conditions.clear();
        // A reload lists b.test. too: dns now waits for it.
        w.configure(List.of(ZoneWatcherTest.zone("a.test.", "default"), ZoneWatcherTest.zone("b.test.", "default")),
                listing("dns", "a.test.", "b.test."));
        assertEquals(List.of("service-ready:cleared/dns", "service-not-ready/dns (1 of 2 zones not ready)"), verdicts());
        conditions.clear();
        clock.advance(Duration.ofSeconds(10));
        w.runDue();
        ready("b.test.");
        assertEquals(List.of("service-not-ready:cleared/default", "service-ready/default",
                "service-not-ready:cleared/dns", "service-ready/dns"), verdicts());
    }

    @Test
    void drainedMakesEveryServiceNotReadyWithThatReasonAndUndrainRestores() {
        w.configure(List.of(ZoneWatcherTest.zone("a.test.", "anycast")), listing("dns", "a.test."));
        w.start();
        w.runDue();
        ready("a.test.");
        conditions.clear();
        w.drained(true);
        assertEquals(List.of("service-ready:cleared/anycast", "service-not-ready/anycast (drained)",
                "service-ready:cleared/dns", "service-not-ready/dns (drained)"), verdicts().stream().sorted(
                java.util.Comparator.comparing((String v) -> v.substring(v.indexOf('/'))).thenComparing(v -> !v.contains(":cleared")))
                .toList());
        assertEquals("drained", w.services().get(0).reason());
        conditions.clear();
        w.drained(false);
        assertEquals(4, verdicts().size());
        w.services().forEach(s -> assertEquals("", s.reason(), s.service()));
        assertEquals(true, w.readiness().ready());
    }
}
