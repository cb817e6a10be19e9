package net.dnsoops.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

/** zone-unwatched as the core decides it from a server's zone list and the watched zones. */
class ServerSignalsUnwatchedTest {
    final MutableClock clock = new MutableClock();
    final List<Condition> out = new ArrayList<>();
    final ServerSignals s = new ServerSignals(clock, out::add);
    final AtomicReference<Set<Name>> told = new AtomicReference<>();

    static Name n(String s) {
        return Name.fromConstantString(s);
    }

    List<String> seen() {
        return out.stream().map(c -> c.type() + (c.raised() ? " " : ":cleared ") + c.zone() + " " + c.source()).toList();
    }

    @Test
    void raisedOncePerZoneAndClearedWhenWatchedOrGone() {
        s.zonesKept(Set.of(n("a.test.")));
        s.zonesServed("nsd", Set.of(n("a.test."), n("b.test."), n("c.test.")), told::set);
        assertEquals(List.of("zone-unwatched b.test. nsd", "zone-unwatched c.test. nsd"), seen());
        assertEquals(Set.of(n("b.test."), n("c.test.")), told.get());

        s.zonesServed("nsd", Set.of(n("a.test."), n("b.test."), n("c.test.")), told::set);
        assertEquals(2, out.size(), "no repeat while a zone stays unwatched");

        s.zonesKept(Set.of(n("a.test."), n("b.test."))); // a reload now watches b.test.
        assertEquals("zone-unwatched:cleared b.test. nsd", seen().get(2));
        assertEquals("now watched", out.get(2).detail());
        assertEquals(Set.of(n("c.test.")), told.get());

        s.zonesServed("nsd", Set.of(n("a.test."), n("b.test.")), told::set); // c.test. left the server
        assertEquals("zone-unwatched:cleared c.test. nsd", seen().get(3));
        assertEquals(Set.of(), told.get());
        assertEquals(4, out.size());
    }

    @Test
    void namesCompareAsDnsNamesNotAsStrings() {
        s.zonesKept(Set.of(n("Example.ORG.")));
        s.zonesServed("knot", Set.of(n("example.org."), n("EXAMPLE.net.")), told::set);
        assertEquals(List.of("zone-unwatched EXAMPLE.net. knot"), seen());
    }

    @Test
    void aRemovedServerClearsWhatItRaisedAndEachServerKeepsItsOwn() {
        s.zonesKept(Set.of());
        s.zonesServed("nsd", Set.of(n("x.test.")), z -> { });
        s.zonesServed("knot", Set.of(n("x.test.")), z -> { });
        assertEquals(List.of("zone-unwatched x.test. nsd", "zone-unwatched x.test. knot"), seen());
        s.serverZonesRemoved("nsd");
        assertEquals("zone-unwatched:cleared x.test. nsd", seen().get(2));
        s.zonesKept(Set.of()); // a later reload: knot's stays, nsd's is not raised again
        assertEquals(3, out.size());
    }
}
