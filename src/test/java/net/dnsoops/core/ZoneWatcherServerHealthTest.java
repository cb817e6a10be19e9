package net.dnsoops.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A probed server that is down makes the services it serves not ready, whatever their zones say. */
class ZoneWatcherServerHealthTest {
    final MutableClock clock = new MutableClock();
    final List<CheckRequest> checks = new ArrayList<>();
    final List<Condition> conditions = new ArrayList<>();
    final ZoneWatcher w = new ZoneWatcher(clock, new Random(1), checks::add, conditions::add);

    List<String> names() {
        return conditions.stream().map(c -> c.type() + (c.raised() ? "" : ":cleared")
                + (c.service() != null ? "/" + c.service() : "")).toList();
    }

    void ready(String zone) {
        w.checkFinished(CheckResult.success(ZoneWatcherTest.name(zone), 1, 3600, 60, 86400, ZoneWatcherTest.PRIMARY));
    }

    @Test
    void serverDownMakesOnlyItsServicesNotReadyAndUpRestoresThem() {
        w.configure(List.of(ZoneWatcherTest.zone("a.test.", "anycast"), ZoneWatcherTest.zone("b.test.", "other")));
        w.start();
        w.runDue();
        ready("a.test.");
        ready("b.test.");
        conditions.clear();

        w.serverHealth("nsd", false, Set.of("anycast"), "3 failed probes");
        assertEquals(List.of("server-down", "service-ready:cleared/anycast", "service-not-ready/anycast"), names());
        assertEquals("nsd", conditions.get(0).source());
        assertEquals("3 failed probes", conditions.get(0).detail());
        assertEquals("anycast", conditions.get(0).fields().get("services"));
        conditions.clear();

        w.serverHealth("nsd", true, Set.of("anycast"), "2 good probes");
        assertEquals(List.of("server-up", "service-not-ready:cleared/anycast", "service-ready/anycast"), names());
    }

    @Test
    void aServerWithNoServicesListedServesEveryServiceAndTwoDownServersNeedTwoUps() {
        w.configure(List.of(ZoneWatcherTest.zone("a.test.", "anycast"), ZoneWatcherTest.zone("b.test.", "other")));
        w.start();
        w.runDue();
        ready("a.test.");
        ready("b.test.");
        conditions.clear();
        w.serverHealth("knot", false, Set.of(), "");
        w.serverHealth("nsd", false, Set.of("anycast"), "");
        w.serverHealth("knot", true, Set.of(), "");
        assertEquals(List.of("service-ready/other"), names().stream().filter(n -> n.startsWith("service-ready/")).toList(),
                "anycast stays not ready while nsd is down");
        conditions.clear();
        w.serverHealth("nsd", true, Set.of("anycast"), "");
        assertEquals(List.of("server-up", "service-not-ready:cleared/anycast", "service-ready/anycast"), names());
    }

    @Test
    void aServiceThatAppearsOnReloadWhileItsServerIsDownIsNotReady() {
        w.configure(List.of(ZoneWatcherTest.zone("a.test.", "anycast")));
        w.serverHealth("nsd", false, Set.of("late"), "");
        w.start();
        w.runDue();
        ready("a.test.");
        w.configure(List.of(ZoneWatcherTest.zone("a.test.", "anycast"), ZoneWatcherTest.zone("c.test.", "late")));
        clock.advance(Duration.ofSeconds(1));
        w.runDue();
        ready("c.test.");
        assertEquals(List.of("service-not-ready/late"),
                names().stream().filter(n -> n.startsWith("service") && n.endsWith("/late")).toList());
    }

    @Test
    void aReloadThatRemovesADownServersProbeClearsServerDownAndItsServicesAreReadyAgain() {
        w.configure(List.of(ZoneWatcherTest.zone("a.test.", "anycast")));
        w.start();
        w.runDue();
        ready("a.test.");
        w.serverHealth("nsd", false, Set.of("anycast"), "3 failed probes");
        w.serverHealth("knot", true, Set.of(), "");
        conditions.clear();

        w.probeRemoved("knot");
        assertEquals(List.of(), names(), "an up server held nothing");
        w.probeRemoved("nsd");
        assertEquals(List.of("server-down:cleared", "service-not-ready:cleared/anycast", "service-ready/anycast"), names());
        assertEquals("nsd", conditions.get(0).source());
        assertEquals("anycast", conditions.get(0).fields().get("services"));
    }
}
