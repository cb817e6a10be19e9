package net.dnsoops.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Filtering, ordering, paging and per-service counts of {@link ZoneWatcher#zonePage}. */
class ZoneWatcherPageTest {
    final MutableClock clock = new MutableClock();
    final ZoneWatcher w = new ZoneWatcher(clock, new Random(1), r -> { }, c -> { });

    /** 30 zones: z0..z29.test.; group "a" for even, "b" for odd; z0..z9 fail, z10..z19 succeed, the rest pending. */
    void thirtyZones() {
        List<ZoneSettings> zones = new ArrayList<>();
        for (int i = 0; i < 30; i++) zones.add(ZoneWatcherTest.zone("z" + i + ".test.", i % 2 == 0 ? "a" : "b"));
        w.configure(zones);
        w.start();
        w.runDue();
        for (int i = 0; i < 10; i++) w.checkFinished(CheckResult.failure(ZoneWatcherTest.name("z" + i + ".test."), "timeout"));
        for (int i = 10; i < 20; i++) {
            w.checkFinished(CheckResult.success(ZoneWatcherTest.name("z" + i + ".test."), 7, 3600, 600, 86400,
                    ZoneWatcherTest.PRIMARY));
        }
    }

    static ZoneQuery q(Set<ZoneState> states, String service, String prefix, String glob, ZoneQuery.Order order, int limit,
                       ZoneQuery.Cursor after) {
        return new ZoneQuery(states, service, prefix, glob == null ? null : ZoneQuery.glob(glob), order, limit, after);
    }

    static List<String> names(ZonePage p) {
        return p.zones().stream().map(ZoneSnapshot::zone).toList();
    }

    @Test
    void notReadyZonesComeFirstWorstStateFirstThenByName() {
        thirtyZones();
        ZonePage p = w.zonePage(ZoneQuery.first(1000));
        assertEquals(30, p.zones().size());
        List<ZoneState> states = p.zones().stream().map(ZoneSnapshot::state).toList();
        assertEquals(ZoneState.FAILING, states.get(0));
        assertEquals(ZoneState.PENDING, states.get(10));
        assertEquals(ZoneState.READY, states.get(29));
        // within a state, DNS name order (as dnsjava compares names)
        List<String> failing = names(p).subList(0, 10);
        List<String> sorted = failing.stream().map(ZoneWatcherTest::name).sorted().map(Object::toString).toList();
        assertEquals(sorted, failing);
        assertNull(p.next());
        assertEquals(30, p.matched());
        assertEquals(30, p.total());
    }

    @Test
    void pagesFollowEachOtherWithoutRepeatOrGapAndEndWithoutCursor() {
        thirtyZones();
        for (ZoneQuery.Order order : ZoneQuery.Order.values()) {
            List<String> all = names(w.zonePage(q(Set.of(), null, null, null, order, 1000, null)));
            List<String> paged = new ArrayList<>();
            ZoneQuery.Cursor after = null;
            int pages = 0;
            do {
                ZonePage p = w.zonePage(q(Set.of(), null, null, null, order, 7, after));
                paged.addAll(names(p));
                assertEquals(30, p.matched(), "matched counts every page");
                after = p.next();
                pages++;
                if (after != null) after = ZoneQuery.Cursor.parse(after.toString()); // as a client hands it back
            } while (after != null && pages < 10);
            assertEquals(5, pages, order + ": 30 zones in pages of 7");
            assertEquals(all, paged, order + ": the pages put together are the whole list");
        }
    }

    @Test
    void filtersByStateServicePrefixAndGlob() {
        thirtyZones();
        ZonePage failing = w.zonePage(q(EnumSet.of(ZoneState.FAILING), null, null, null, ZoneQuery.Order.NAME, 100, null));
        assertEquals(10, failing.matched());
        failing.zones().forEach(z -> assertEquals(ZoneState.FAILING, z.state()));

        ZonePage b = w.zonePage(q(Set.of(), "b", null, null, ZoneQuery.Order.NAME, 100, null));
        assertEquals(15, b.matched());
        b.zones().forEach(z -> assertEquals("b", z.service()));

        ZonePage prefix = w.zonePage(q(Set.of(), null, "Z2", null, ZoneQuery.Order.NAME, 100, null));
        assertEquals(Set.of("z2.test.", "z20.test.", "z21.test.", "z22.test.", "z23.test.", "z24.test.", "z25.test.",
                "z26.test.", "z27.test.", "z28.test.", "z29.test."), Set.copyOf(names(prefix)), "prefix, any case");

        ZonePage glob = w.zonePage(q(Set.of(), null, null, "*1?.TEST", ZoneQuery.Order.NAME, 100, null));
        assertEquals(10, glob.matched(), "z10..z19: the glob matches the whole name, any case, with or without the dot");

        ZonePage combined = w.zonePage(q(EnumSet.of(ZoneState.READY), "a", null, "*1*", ZoneQuery.Order.NAME, 100, null));
        assertEquals(List.of("z10.test.", "z12.test.", "z14.test.", "z16.test.", "z18.test."),
                combined.zones().stream().map(ZoneSnapshot::zone).sorted().toList());
    }

    @Test
    void countsOnlyPageStillCountsEveryServiceByState() {
        thirtyZones();
        ZonePage p = w.zonePage(q(EnumSet.of(ZoneState.READY), null, null, null, ZoneQuery.Order.STATE, 0, null));
        assertEquals(List.of(), p.zones());
        assertEquals(10, p.matched());
        assertNull(p.next());
        assertEquals(Set.of("a", "b"), p.byService().keySet());
        // a: even zones; failing z0,2,4,6,8; ready z10..18 even; pending z20..28 even; not filtered by the query
        assertEquals(5, p.byService().get("a").get(ZoneState.FAILING));
        assertEquals(5, p.byService().get("a").get(ZoneState.READY));
        assertEquals(5, p.byService().get("a").get(ZoneState.PENDING));
        assertEquals(0, p.byService().get("a").get(ZoneState.EXPIRED));
    }

    @Test
    void aLaterPageInNameOrderReadsOnlyItsZonesAndCountsNothing() {
        thirtyZones();
        ZonePage first = w.zonePage(q(Set.of(), null, null, null, ZoneQuery.Order.NAME, 7, null));
        assertTrue(first.counted(), "the first page carries the counts");
        long before = w.zonesVisited;
        ZonePage second = w.zonePage(q(Set.of(), null, null, null, ZoneQuery.Order.NAME, 7, first.next()));
        assertEquals(7, w.zonesVisited - before, "only the page's zones are looked at, not all 30");
        assertFalse(second.counted(), "no counts without a pass over every zone");
        assertEquals(30, second.matched());
        // the same zones a full pass puts there
        List<String> all = names(w.zonePage(q(Set.of(), null, null, null, ZoneQuery.Order.NAME, 1000, null)));
        assertEquals(all.subList(7, 14), names(second));

        // with a filter the page still needs every zone, and counts them while at it
        before = w.zonesVisited;
        ZonePage filtered = w.zonePage(q(Set.of(), "a", null, null, ZoneQuery.Order.NAME, 7, first.next()));
        assertEquals(30, w.zonesVisited - before);
        assertTrue(filtered.counted());
    }

    @Test
    void thePageServicesAgreeWithReadinessAndCheapServices() {
        thirtyZones();
        ZonePage p = w.zonePage(ZoneQuery.first(5));
        Readiness r = w.readiness();
        assertEquals(r.services(), p.services(), "verdicts and per-state counts from the page are readiness's");
        assertEquals(r.zones(), p.byState());
        for (ServiceSnapshot s : p.services()) {
            java.util.Map<String, Integer> wire = new java.util.HashMap<>();
            p.byService().get(s.service()).forEach((st, n) -> { if (n > 0) wire.put(st.wireName(), n); });
            assertEquals(wire, s.states(), s.service() + ": one count per state, the same as byService");
        }
        // the cheap list: the same verdicts and counters, no per-state counts
        List<ServiceSnapshot> cheap = w.services();
        assertEquals(p.services().size(), cheap.size());
        for (int i = 0; i < cheap.size(); i++) {
            ServiceSnapshot a = p.services().get(i);
            ServiceSnapshot b = cheap.get(i);
            assertEquals(List.of(a.service(), a.ready(), a.reason(), a.zones(), a.readyZones()),
                    List.of(b.service(), b.ready(), b.reason(), b.zones(), b.readyZones()));
            assertEquals(java.util.Map.of(), b.states());
        }
    }

    @Test
    void aCursorThatIsNotOneIsRefusedWithTheReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ZoneQuery.Cursor.parse("z1.test."));
        assertEquals("not a cursor from a previous page's \"next\": z1.test.", e.getMessage());
    }
}
