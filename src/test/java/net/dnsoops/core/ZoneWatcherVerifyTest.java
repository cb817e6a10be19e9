package net.dnsoops.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The core asks for verification on ready and on each new serial, and gates services on the verdict. */
class ZoneWatcherVerifyTest {
    final MutableClock clock = new MutableClock();
    final List<CheckRequest> checks = new ArrayList<>();
    final List<Condition> conditions = new ArrayList<>();
    final List<VerifyRequest> asked = new ArrayList<>();
    final ZoneWatcher w = new ZoneWatcher(clock, new Random(1), checks::add, conditions::add);

    List<String> names() {
        return conditions.stream().map(c -> c.type() + (c.raised() ? "" : ":cleared")).toList();
    }

    void serial(long s) {
        w.checkFinished(CheckResult.success(ZoneWatcherTest.name("a.test."), s, 3600, 60, 86400, ZoneWatcherTest.PRIMARY));
    }

    @Test
    void gatedServiceIsReadyOnlyWhileTheCurrentSerialVerified() {
        w.configure(List.of(ZoneWatcherTest.zone("a.test.", "svc")));
        w.registerVerifier(Set.of(ZoneWatcherTest.name("a.test.")), true, asked::add);
        w.start();
        w.runDue();
        serial(10);
        assertEquals(List.of("zone-ready", "service-not-ready"), names(), "not ready before the verdict");
        assertEquals(1, asked.size());
        assertEquals(10, asked.get(0).serial());
        assertEquals(ZoneWatcherTest.PRIMARY, asked.get(0).server());

        w.verified(ZoneWatcherTest.name("a.test."), 10, true, "ok");
        assertEquals(List.of("zone-ready", "service-not-ready", "zone-valid", "service-not-ready:cleared", "service-ready"),
                names());
        conditions.clear();

        w.checkFinished(CheckResult.success(ZoneWatcherTest.name("a.test."), 10, 3600, 60, 86400, ZoneWatcherTest.PRIMARY));
        assertEquals(1, asked.size(), "same serial: not verified again");
        checks.clear();
        w.notified(ZoneWatcherTest.name("a.test."), ZoneWatcherTest.PRIMARY.getAddress());
        serial(11);
        assertEquals(2, asked.size(), "a new serial is verified");
        w.verified(ZoneWatcherTest.name("a.test."), 10, false, "stale"); // a verdict for an old serial is dropped
        assertEquals(List.of("zone-updated"), names());
        w.verified(ZoneWatcherTest.name("a.test."), 11, false, "ZONEMD digest does not match");
        assertEquals(List.of("zone-updated", "zone-valid:cleared", "zone-invalid", "service-ready:cleared",
                "service-not-ready"), names());
        assertEquals("ZONEMD digest does not match", conditions.get(2).detail());
        assertEquals(11, conditions.get(2).serial());
    }

    @Test
    void withoutTheGateTheVerdictOnlySignals() {
        w.configure(List.of(ZoneWatcherTest.zone("a.test.", "svc")));
        w.registerVerifier(Set.of(ZoneWatcherTest.name("a.test.")), false, asked::add);
        w.start();
        w.runDue();
        serial(10);
        w.verified(ZoneWatcherTest.name("a.test."), 10, false, "bad");
        assertEquals(List.of("zone-ready", "service-ready", "zone-invalid"), names());
    }

    @Test
    void registeredAgainByAReloadTheVerdictStaysUntilTheNewOneAndIsNotRaisedTwice() {
        w.configure(List.of(ZoneWatcherTest.zone("a.test.", "svc")));
        w.registerVerifier(Set.of(ZoneWatcherTest.name("a.test.")), true, asked::add);
        w.start();
        w.runDue();
        serial(10);
        w.verified(ZoneWatcherTest.name("a.test."), 10, true, "ok");
        conditions.clear();

        w.registerVerifier(Set.of(ZoneWatcherTest.name("a.test.")), true, asked::add); // e.g. "zonemd" changed
        assertEquals(2, asked.size(), "verified again under the new settings");
        assertEquals(List.of(), names(), "the service stays ready meanwhile");
        w.verified(ZoneWatcherTest.name("a.test."), 10, true, "ok");
        assertEquals(List.of(), names(), "the same verdict is not raised again");
        w.verified(ZoneWatcherTest.name("a.test."), 10, false, "ZONEMD required, none found");
        assertEquals(List.of("zone-valid:cleared", "zone-invalid", "service-ready:cleared", "service-not-ready"), names());
    }

    @Test
    void aZoneRemovedFromVerifyHasItsVerdictClearedAndNoLongerHoldsItsServiceBack() {
        w.configure(List.of(ZoneWatcherTest.zone("a.test.", "svc")));
        w.registerVerifier(Set.of(ZoneWatcherTest.name("a.test.")), true, asked::add);
        w.start();
        w.runDue();
        serial(10);
        w.verified(ZoneWatcherTest.name("a.test."), 10, false, "bad");
        conditions.clear();

        w.verifyRemoved(Set.of(ZoneWatcherTest.name("a.test.")));
        assertEquals(List.of("zone-invalid:cleared", "service-not-ready:cleared", "service-ready"), names());
        w.notified(ZoneWatcherTest.name("a.test."), ZoneWatcherTest.PRIMARY.getAddress());
        serial(11);
        assertEquals(1, asked.size(), "no longer verified");
    }
}
