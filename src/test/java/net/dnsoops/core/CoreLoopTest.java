package net.dnsoops.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Clock;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The core thread under a NOTIFY storm: events coalesce per zone, and no NOTIFY goes unchecked. */
class CoreLoopTest {
    @Test
    void aStormOfNotifiesWhileTheCoreIsBusyQueuesAndChecksOncePerZone() throws Exception {
        List<CheckRequest> requests = new CopyOnWriteArrayList<>();
        CoreLoop core = new CoreLoop(Clock.systemUTC(), new Random(1), requests::add, c -> { });
        ZoneSettings a = ZoneWatcherTest.zone("a.test.", "s");
        ZoneSettings b = ZoneWatcherTest.zone("b.test.", "s");
        core.start(List.of(a, b));
        try {
            // let the start-up checks go out, and answer them, so the zones are idle
            waitFor(() -> requests.size() == 2);
            for (CheckRequest r : List.copyOf(requests)) {
                core.checkFinished(CheckResult.success(r.zone(), 1, 3600, 600, 86400, ZoneWatcherTest.PRIMARY));
            }
            core.zones(); // a round trip through the core: the results are applied
            requests.clear();

            CountDownLatch busy = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            core.query(w -> {
                busy.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            });
            assertTrue(busy.await(5, TimeUnit.SECONDS));
            InetAddress from = InetAddress.getLoopbackAddress();
            for (int i = 0; i < 10_000; i++) core.notifyReceived(i % 3 == 0 ? b.name() : a.name(), from, "udp");
            assertEquals(2, core.queuedEvents(), "the flood queued one event per zone, not one per datagram");
            release.countDown();
            core.zones();
            waitFor(() -> requests.size() == 2);
            core.zones(); // events are applied in order: anything the flood caused has been asked for by now
            assertEquals(2, requests.size(), "one check per zone for 10,000 NOTIFYs: " + requests);

            // a NOTIFY after the core took the queued one is not lost: it is checked again after the check in flight
            core.notifyReceived(a.name(), from, "udp");
            core.zones();
            CheckRequest first = requests.stream().filter(r -> r.zone().equals(a.name())).findFirst().orElseThrow();
            core.checkFinished(CheckResult.success(first.zone(), 1, 3600, 600, 86400, ZoneWatcherTest.PRIMARY));
            waitFor(() -> requests.stream().filter(r -> r.zone().equals(a.name())).count() == 2);
        } finally {
            core.close();
        }
    }

    /** What a route actuator built by a reload is seeded with: the servers down now, from the probe and from Knot. */
    @Test
    void serverConditionsNameTheServersDownNow() throws Exception {
        CoreLoop core = new CoreLoop(Clock.systemUTC(), new Random(1), r -> { }, c -> { });
        core.start(List.of(ZoneWatcherTest.zone("a.test.", "s")));
        try {
            core.serverHealth("nsd", false, java.util.Set.of(), "3 failed probes");
            core.serverEvent("knot", false, "stopped");
            assertEquals(java.util.Map.of(ConditionType.SERVER_DOWN, java.util.Set.of("knot", "nsd")), core.serverConditions());
            core.serverHealth("nsd", true, java.util.Set.of(), "2 good probes");
            core.serverEvent("knot", true, "started");
            assertEquals(java.util.Map.of(), core.serverConditions());
        } finally {
            core.close();
        }
    }

    /**
     * The core thread parks for monotonic time while its deadlines are wall-clock instants: when
     * the wall clock moves on without any event (here a virtual clock; in life a clock step or a
     * suspended host), the refresh that fell due is still started, within about a second.
     */
    @Test
    void aDeadlineThatPassesWhileTheCoreIsParkedIsNoticedWithoutAnyEvent() {
        MutableClock clock = new MutableClock();
        List<CheckRequest> requests = new CopyOnWriteArrayList<>();
        CoreLoop core = new CoreLoop(clock, new Random(1), requests::add, c -> { });
        ZoneSettings a = ZoneWatcherTest.zone("a.test.", "s");
        core.start(List.of(a));
        try {
            waitFor(() -> requests.size() == 1);
            core.checkFinished(CheckResult.success(a.name(), 1, 86400, 600, 604800, ZoneWatcherTest.PRIMARY));
            core.zones();
            clock.advance(java.time.Duration.ofDays(1));
            waitFor(() -> requests.size() == 2);
        } finally {
            core.close();
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier ok) {
        net.dnsoops.testsupport.Eventually.await(java.time.Duration.ofSeconds(5), "the core's check requests", ok);
    }
}
