package net.dnsoops.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

/** The zone state machine driven by hand: a manual clock, recorded check requests and conditions. */
class ZoneWatcherTest {
    static final InetSocketAddress PRIMARY = new InetSocketAddress(InetAddress.getLoopbackAddress(), 5300);
    static final ZoneTimers TIMERS = new ZoneTimers(Duration.ofSeconds(5), Duration.ofDays(1), Duration.ofSeconds(1),
            Duration.ofHours(1), Duration.ofSeconds(10), Duration.ofDays(28), Duration.ofSeconds(10),
            Duration.ofHours(1), 0.0, 2, Duration.ZERO);

    final MutableClock clock = new MutableClock();
    final List<CheckRequest> checks = new ArrayList<>();
    final List<Condition> conditions = new ArrayList<>();
    final ZoneWatcher w = new ZoneWatcher(clock, new Random(1), checks::add, conditions::add);

    static Name name(String s) {
        return Name.fromConstantString(s);
    }

    static ZoneSettings zone(String name, String group) {
        return new ZoneSettings(name(name), group, List.of(PRIMARY), List.of(), false, 53, TIMERS,
                Duration.ofSeconds(1), 2, Map.of("last-octet", "4"), null, null);
    }

    void succeed(String zone, long serial, long refresh, long retry, long expire) {
        w.checkFinished(CheckResult.success(name(zone), serial, refresh, retry, expire, PRIMARY));
    }

    void fail(String zone) {
        w.checkFinished(CheckResult.failure(name(zone), "timeout"));
    }

    List<String> names() {
        return conditions.stream().map(c -> c.type() + (c.raised() ? "" : ":cleared")).toList();
    }

    void advance(Duration d) {
        clock.advance(d);
        w.runDue();
    }

    @Test
    void startChecksEveryZoneAndSignalsReadyOnceAllAreVerified() {
        w.configure(List.of(zone("a.test.", "svc"), zone("b.test.", "svc")));
        w.start();
        w.runDue();
        assertEquals(2, checks.size());
        succeed("a.test.", 10, 3600, 60, 86400);
        assertEquals(List.of("zone-ready"), names(), "service waits for b");
        succeed("b.test.", 20, 3600, 60, 86400);
        assertEquals(List.of("zone-ready", "zone-ready", "service-ready"), names());
        Condition ready = conditions.get(0);
        assertEquals("a.test.", ready.zone());
        assertEquals(10, ready.serial());
        assertEquals("4", ready.fields().get("last-octet"));
        assertEquals("127.0.0.1", ready.source(), "a timer check names the primary that answered");
    }

    @Test
    void stateCountsAgreeWithTheSnapshotsOfEveryZone() {
        // what health probes, metrics and systemd read instead of one snapshot per zone
        w.configure(List.of(zone("a.test.", "svc"), zone("b.test.", "svc"), zone("c.test.", "svc")));
        w.start();
        w.runDue();
        assertEquals(3, w.stateCounts().get(ZoneState.PENDING));
        succeed("a.test.", 10, 3600, 60, 86400);
        fail("b.test.");
        Map<ZoneState, Integer> counts = w.stateCounts();
        assertEquals(Map.of(ZoneState.READY, 1, ZoneState.FAILING, 1, ZoneState.PENDING, 1), Map.of(
                ZoneState.READY, counts.get(ZoneState.READY), ZoneState.FAILING, counts.get(ZoneState.FAILING),
                ZoneState.PENDING, counts.get(ZoneState.PENDING)));
        assertEquals(ZoneState.values().length, counts.size(), "every state present, zero or not");
        for (ZoneState s : ZoneState.values()) {
            assertEquals(w.zones().stream().filter(z -> z.state() == s).count(), (long) counts.get(s), s.name());
        }
    }

    @Test
    void aZoneThatFailsAtStartMakesTheServiceNotReadyButNeverStopsTheOthers() {
        w.configure(List.of(zone("a.test.", "svc"), zone("b.test.", "svc")));
        w.start();
        w.runDue();
        succeed("a.test.", 10, 3600, 60, 86400);
        fail("b.test.");
        assertEquals(List.of("zone-ready", "service-not-ready"), names());
        advance(Duration.ofSeconds(10)); // initial retry
        assertEquals(3, checks.size());
        succeed("b.test.", 7, 3600, 60, 86400);
        assertEquals(List.of("zone-ready", "service-not-ready", "zone-ready", "service-not-ready:cleared",
                "service-ready"), names());
    }

    @Test
    void updatesLeaveOneDeadlinePerZoneNotOnePerCheck() {
        // A registry updates its zones all day with a refresh of a day: every check reschedules
        // its zone, and the timers must not pile up (they once did, one entry per update).
        List<ZoneSettings> many = new ArrayList<>();
        for (int i = 0; i < 50; i++) many.add(zone("z" + i + ".test.", "svc"));
        w.configure(many);
        w.start();
        w.runDue();
        long serial = 1;
        for (int round = 0; round < 200; round++, serial++) {
            for (CheckRequest c : List.copyOf(checks)) succeed(c.zone().toString(), serial, 86400, 3600, 2419200);
            checks.clear();
            clock.advance(Duration.ofSeconds(6)); // past the minimum interval between checks
            for (int i = 0; i < 50; i++) w.notified(name("z" + i + ".test."), PRIMARY.getAddress());
            assertTrue(w.pendingDeadlines() <= 50, w.pendingDeadlines() + " deadlines for 50 zones in round " + round);
        }
        assertEquals(50, checks.size(), "every zone is still checked on its NOTIFY");
        for (CheckRequest c : List.copyOf(checks)) succeed(c.zone().toString(), serial, 86400, 3600, 2419200);
        assertEquals(50, w.pendingDeadlines(), "each zone keeps its refresh timer");
        advance(Duration.ofDays(1));
        assertEquals(100, checks.size(), "and the refresh timers still fire");
    }

    @Test
    void notifiesDuringACheckCostOneMoreCheckNotOnePerMessage() throws Exception {
        w.configure(List.of(zone("a.test.", "svc")));
        w.start();
        w.runDue();
        succeed("a.test.", 1, 3600, 60, 86400);
        checks.clear();
        InetAddress src = InetAddress.getByName("192.0.2.1");
        for (int i = 0; i < 1000; i++) w.notified(name("a.test."), src);
        assertEquals(1, checks.size(), "one check in flight");
        succeed("a.test.", 2, 3600, 60, 86400);
        assertEquals(2, checks.size(), "exactly one more for the NOTIFYs that came meanwhile");
        succeed("a.test.", 2, 3600, 60, 86400);
        assertEquals(2, checks.size());
        Condition updated = conditions.stream().filter(c -> c.type() == ConditionType.ZONE_UPDATED).findFirst().orElseThrow();
        assertEquals(1, updated.oldSerial());
        assertEquals(2, updated.serial());
        assertEquals("192.0.2.1", updated.source(), "who notified");
        assertEquals(1, conditions.stream().filter(c -> c.type() == ConditionType.ZONE_UPDATED).count());
    }

    @Test
    void serialArithmeticFollowsRfc1982AcrossTheWrap() {
        w.configure(List.of(zone("a.test.", "svc")));
        w.start();
        w.runDue();
        succeed("a.test.", 4294967290L, 3600, 60, 86400);
        w.notified(name("a.test."), InetAddress.getLoopbackAddress());
        succeed("a.test.", 5, 3600, 60, 86400); // wrapped: newer
        Condition updated = conditions.get(conditions.size() - 1);
        assertEquals(ConditionType.ZONE_UPDATED, updated.type());
        assertEquals(4294967290L, updated.oldSerial());
        assertEquals(5, updated.serial());
        w.notified(name("a.test."), InetAddress.getLoopbackAddress());
        succeed("a.test.", 4, 3600, 60, 86400); // older: no update
        assertEquals(ConditionType.ZONE_UPDATED, conditions.get(conditions.size() - 1).type());
        assertEquals(1, conditions.stream().filter(c -> c.type() == ConditionType.ZONE_UPDATED).count());
    }

    @Test
    void refreshAndRetryTimersComeFromTheSoaWithinTheClamps() {
        w.configure(List.of(zone("a.test.", "svc")));
        w.start();
        w.runDue();
        succeed("a.test.", 1, 100, 2, 86400);
        checks.clear();
        advance(Duration.ofSeconds(99));
        assertTrue(checks.isEmpty(), "not before REFRESH");
        advance(Duration.ofSeconds(1));
        assertEquals(1, checks.size(), "at REFRESH");
        fail("a.test.");
        advance(Duration.ofSeconds(2));
        assertEquals(2, checks.size(), "RETRY after a failure");
        fail("a.test.");
        // A REFRESH of 1 s is clamped to min-refresh (5 s).
        advance(Duration.ofSeconds(2));
        succeed("a.test.", 1, 1, 1, 86400);
        checks.clear();
        advance(Duration.ofSeconds(4));
        assertTrue(checks.isEmpty());
        advance(Duration.ofSeconds(1));
        assertEquals(1, checks.size());
    }

    @Test
    void failuresRaiseRefreshFailedThenExpiringThenExpiredAndASuccessRecovers() {
        w.configure(List.of(zone("a.test.", "svc")));
        w.start();
        w.runDue();
        succeed("a.test.", 1, 10, 5, 60); // expire 60 s: warning at 30 s (half of EXPIRE)
        conditions.clear();
        advance(Duration.ofSeconds(10));
        fail("a.test.");
        assertTrue(names().isEmpty(), "one failure is not yet refresh-failed (refresh-failures 2)");
        advance(Duration.ofSeconds(5));
        fail("a.test.");
        assertEquals(List.of("zone-refresh-failed"), names());
        advance(Duration.ofSeconds(5));
        fail("a.test.");
        advance(Duration.ofSeconds(5)); // t=25
        fail("a.test.");
        advance(Duration.ofSeconds(5)); // t=30: warning
        assertEquals(List.of("zone-refresh-failed", "zone-expiring"), names());
        fail("a.test.");
        advance(Duration.ofSeconds(30)); // t=60: expired, even with a check in flight
        assertEquals(List.of("zone-refresh-failed", "zone-expiring", "zone-expiring:cleared", "zone-expired",
                "zone-ready:cleared", "service-ready:cleared", "service-not-ready"), names());
        conditions.clear();
        succeed("a.test.", 1, 10, 5, 60);
        assertEquals(List.of("zone-refresh-failed:cleared", "zone-expired:cleared", "zone-recovered", "zone-ready",
                "service-not-ready:cleared", "service-ready"), names());
    }

    @Test
    void aHangingCheckStillLetsTheZoneExpire() {
        w.configure(List.of(zone("a.test.", "svc")));
        w.start();
        w.runDue();
        succeed("a.test.", 1, 3600, 60, 20);
        w.notified(name("a.test."), InetAddress.getLoopbackAddress()); // never answered
        advance(Duration.ofSeconds(21));
        assertTrue(names().contains("zone-expired"), names().toString());
    }

    @Test
    void zoneNamesAreCaseInsensitiveAndAdmissionFollowsTheConfig() throws Exception {
        ZoneSettings s = zone("a.test.", "svc");
        assertEquals(Admission.ACCEPTED, ZoneWatcher.admit(s, InetAddress.getLoopbackAddress(), null));
        assertEquals(Admission.REFUSED, ZoneWatcher.admit(s, InetAddress.getByName("192.0.2.9"), null),
                "by default only the primaries may notify");
        assertEquals(Admission.NOT_CONFIGURED, ZoneWatcher.admit(null, InetAddress.getLoopbackAddress(), null));
        w.configure(List.of(s));
        w.start();
        w.runDue();
        succeed("A.TEST.", 3, 3600, 60, 86400);
        assertEquals(List.of("zone-ready", "service-ready"), names());
    }

    @Test
    void reloadAddsAndRemovesZonesAndKeepsTheStateOfTheRest() {
        w.configure(List.of(zone("a.test.", "svc")));
        w.start();
        w.runDue();
        succeed("a.test.", 1, 3600, 60, 86400);
        checks.clear();
        w.configure(List.of(zone("a.test.", "svc"), zone("b.test.", "svc")));
        w.runDue();
        assertEquals(1, checks.size(), "only the new zone is checked");
        assertEquals(name("b.test."), checks.get(0).zone());
        assertEquals(1, w.zone(name("a.test.")).serial(), "state kept");
        assertEquals(List.of("zone-ready", "service-ready"), names(), "service waits for the new zone");
        fail("b.test.");
        assertTrue(names().contains("service-not-ready"));
        w.configure(List.of(zone("a.test.", "svc")));
        assertEquals("service-ready", names().get(names().size() - 1), "removing the failing zone makes it ready again");
        assertEquals(1, w.zoneCount());
    }

    /** Each service as "name ready/zones verdict". */
    List<String> counts() {
        return w.services().stream().map(s -> s.service() + " " + s.readyZones() + "/" + s.zones()
                + (s.ready() ? " ready" : " not ready")).toList();
    }

    @Test
    void aZoneMovedToAnotherServiceByAReloadCountsThereFromThenOn() {
        w.configure(List.of(zone("a.test.", "one"), zone("b.test.", "two")));
        w.start();
        w.runDue();
        succeed("a.test.", 1, 3600, 60, 86400);
        fail("b.test.");
        assertEquals(List.of("one 1/1 ready", "two 0/1 not ready"), counts());
        conditions.clear();
        w.configure(List.of(zone("a.test.", "two"), zone("b.test.", "two")));
        assertEquals(List.of("two 1/2 not ready"), counts(), "one is gone with its last zone");
        // b's next check succeeds: the zones of two are a (moved, ready) and b
        advance(Duration.ofSeconds(10));
        succeed("b.test.", 1, 3600, 60, 86400);
        assertEquals(List.of("two 2/2 ready"), counts());
        assertEquals(List.of("zone-ready", "service-not-ready:cleared", "service-ready"), names());
        // a leaving two again takes its counts with it
        w.configure(List.of(zone("a.test.", "three"), zone("b.test.", "two")));
        assertEquals(List.of("three 1/1 ready", "two 1/1 ready"), counts());
    }

    @Test
    void aZoneWithoutPrimariesWaitsForANotifyAndThenAsksItsSender() throws Exception {
        ZoneSettings s = new ZoneSettings(name("seed.test."), "svc", List.of(), List.of(), false, 5353, TIMERS,
                Duration.ofSeconds(1), 1, Map.of(), null, null);
        w.configure(List.of(s));
        w.start();
        w.runDue();
        assertTrue(checks.isEmpty());
        assertEquals(List.of("service-not-ready"), names());
        w.notified(name("seed.test."), InetAddress.getLoopbackAddress());
        assertEquals(List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 5353)), checks.get(0).targets());
        assertFalse(w.zone(name("seed.test.")).state() == ZoneState.READY);
    }

    @Test
    void restoredStateKeepsAnExpiredZoneExpiredAndReportsChangesMadeWhileDown() {
        long now = clock.millis();
        w.configure(List.of(zone("gone.test.", "svc"), zone("same.test.", "svc"), zone("changed.test.", "svc")));
        w.restore(List.of(
                new PersistedZone("gone.test.", 5, now - 100_000, now - 1, 3600, 60, 99),
                new PersistedZone("same.test.", 7, now - 1000, now + 86_000_000, 3600, 60, 86400),
                new PersistedZone("changed.test.", 8, now - 1000, now + 86_000_000, 3600, 60, 86400)));
        w.start();
        assertEquals(List.of("zone-expired"), names(), "expired while we were down: said at once");
        assertEquals(ZoneState.EXPIRED, w.zone(name("gone.test.")).state());
        assertEquals(ZoneState.PENDING, w.zone(name("same.test.")).state(), "known, but re-verified before ready");
        w.runDue();
        succeed("same.test.", 7, 3600, 60, 86400);
        succeed("changed.test.", 9, 3600, 60, 86400);
        assertEquals(List.of("zone-expired", "zone-ready", "zone-updated", "zone-ready"), names());
        Condition updated = conditions.get(2);
        assertEquals(8, updated.oldSerial());
        assertEquals(9, updated.serial());
        assertEquals(3, w.persistentState().size());
    }

    @Test
    void aZoneIsNotQueriedMoreOftenThanItsMinimumIntervalButTheLastNotifyIsStillChecked() {
        ZoneTimers t = new ZoneTimers(Duration.ofSeconds(5), Duration.ofDays(1), Duration.ofSeconds(1),
                Duration.ofHours(1), Duration.ofSeconds(10), Duration.ofDays(28), Duration.ofSeconds(10),
                Duration.ofHours(1), 0.0, 2, Duration.ofMillis(100));
        w.configure(List.of(new ZoneSettings(name("a.test."), "svc", List.of(PRIMARY), List.of(), false, 53, t,
                Duration.ofSeconds(1), 2, Map.of(), null, null)));
        w.start();
        w.runDue();
        succeed("a.test.", 1, 3600, 60, 86400);
        assertEquals(1, checks.size());
        w.notified(name("a.test."), PRIMARY.getAddress());
        assertEquals(1, checks.size(), "too soon after the last check: deferred");
        advance(Duration.ofMillis(50));
        w.notified(name("a.test."), PRIMARY.getAddress());
        assertEquals(1, checks.size());
        advance(Duration.ofMillis(50));
        assertEquals(2, checks.size(), "one check for both NOTIFYs, at the interval");
        succeed("a.test.", 2, 3600, 60, 86400);
        assertEquals(1, conditions.stream().filter(c -> c.type() == ConditionType.ZONE_UPDATED).count());
    }

    @Test
    void anOperatorRefreshChecksNowAndIsCoalescedLikeANotify() {
        w.configure(List.of(zone("a.test.", "svc")));
        w.start();
        w.runDue();
        assertEquals(1, checks.size());
        succeed("a.test.", 10, 3600, 60, 86400);
        assertFalse(w.refreshNow(name("unknown.test.")), "an unconfigured zone is refused");
        assertTrue(w.refreshNow(name("a.test.")));
        assertEquals(2, checks.size(), "checked now, not at the refresh timer");
        assertTrue(w.refreshNow(name("a.test.")));
        assertTrue(w.refreshNow(name("a.test.")));
        assertEquals(2, checks.size(), "refreshes while a check is in flight only mark one more");
        succeed("a.test.", 11, 3600, 60, 86400);
        assertEquals(3, checks.size(), "exactly one more check after the one in flight");
        succeed("a.test.", 11, 3600, 60, 86400);
        assertEquals(3, checks.size());
        assertEquals(List.of("zone-ready", "service-ready", "zone-updated"), names());
    }
}
