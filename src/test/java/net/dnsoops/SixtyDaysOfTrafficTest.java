package net.dnsoops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import net.dnsoops.config.ConfigLoader;
import net.dnsoops.config.TsigKeys;
import net.dnsoops.core.CheckRequest;
import net.dnsoops.core.CheckResult;
import net.dnsoops.core.Condition;
import net.dnsoops.core.ConditionType;
import net.dnsoops.core.CoreLoop;
import net.dnsoops.core.MutableClock;
import net.dnsoops.core.ZoneSettings;
import net.dnsoops.core.ZoneSnapshot;
import net.dnsoops.core.ZoneState;
import net.dnsoops.input.notify.NotifyCounters;
import net.dnsoops.input.notify.NotifyResponder;
import net.dnsoops.ops.StateFile;
import net.dnsoops.ops.StateSaver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Sixty days of a daemon's life on virtual time: the core thread with its real timer queue, the
 * NOTIFY admission path with its per-source rate limit at the default rate, the SOA check
 * scheduling, and the state file across restarts. Only the primaries are in-process fakes that
 * answer the core's SOA checks at once. Traffic: a zone changed once a week (its primary quiet
 * in between), bursts of changes and of retransmitted NOTIFYs after quiet weeks, a primary down
 * for ten days (its zone refresh-failing, expiring, expired, then recovered) and three restarts.
 * Every NOTIFY must be answered, every change verified within a second of its NOTIFY, and the
 * zone must expire exactly at its EXPIRE after its last good check.
 */
class SixtyDaysOfTrafficTest {
    static final Name WEEKLY = Name.fromConstantString("weekly.test.");
    static final Name BUSY = Name.fromConstantString("busy.test.");
    static final Name BUSY2 = Name.fromConstantString("busy2.test.");
    static final Name DOWN = Name.fromConstantString("down.test.");
    static final long DOWN_EXPIRE_SECONDS = 7 * 86400;

    /** A primary: its zones' serials and SOA timers, and whether it answers. */
    static final class Primary {
        final InetAddress address;
        final Map<Name, Long> serials = new HashMap<>();
        final long refresh;
        final long retry;
        final long expire;
        boolean up = true;

        Primary(String address, long refresh, long retry, long expire, Name... zones) throws Exception {
            this.address = InetAddress.getByName(address);
            this.refresh = refresh;
            this.retry = retry;
            this.expire = expire;
            for (Name z : zones) serials.put(z, 2026010100L);
        }
    }

    @TempDir
    Path dir;

    final MutableClock clock = new MutableClock();
    final Instant start = clock.instant();
    final Primary weekly;
    final Primary busy;
    final Primary down;
    final List<Primary> primaries;
    final ConcurrentLinkedQueue<CheckRequest> requests = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Condition> conditions = new ConcurrentLinkedQueue<>();
    /** Serials published with a NOTIFY, per zone, in order: each must come out as zone-updated. */
    final Map<Name, List<Long>> published = new HashMap<>();
    /** down.test.'s primary is down from and until these. */
    final Instant downFrom = day(20).plus(Duration.ofHours(3));
    final Instant downUntil = day(30).plus(Duration.ofHours(9));
    /** When down.test was last checked successfully before its primary went down. */
    Instant downLastGood;
    final List<String> problems = new ArrayList<>();
    /** When each zone was checked. */
    final Map<Name, List<Instant>> checks = new HashMap<>();
    /** Each restart: when the daemon stopped, and for how long. */
    final Map<Instant, Duration> restarts = new HashMap<>();
    long notifiesSent;
    long notifiesAnswered;

    List<ZoneSettings> zones;
    StateFile stateFile;
    CoreLoop core;
    NotifyResponder responder;
    StateSaver saver;

    SixtyDaysOfTrafficTest() throws Exception {
        weekly = new Primary("192.0.2.1", 86400, 3600, 14 * 86400, WEEKLY);
        busy = new Primary("192.0.2.2", 3600, 600, 14 * 86400, BUSY, BUSY2);
        down = new Primary("192.0.2.3", 3600, 600, DOWN_EXPIRE_SECONDS, DOWN);
        primaries = List.of(weekly, busy, down);
    }

    @Test
    void everyNotifyIsAnsweredEveryChangeVerifiedAndExpiryExactOverSixtyDays() throws Exception {
        // The daemon's defaults (rate limit 20,000/s per source, timers, jitter), from a config file.
        zones = ConfigLoader.parse("""
                { "zones": { "weekly.test.": { "primaries": ["192.0.2.1"] },
                             "busy.test.": { "primaries": ["192.0.2.2"] },
                             "busy2.test.": { "primaries": ["192.0.2.2"] },
                             "down.test.": { "primaries": ["192.0.2.3"] } } }
                """, "sixty-days.json").zoneSettings();
        int ratePerSource = ConfigLoader.parse("{}", "defaults.json").notifyRatePerSource;
        stateFile = new StateFile(dir.resolve("state.json"));
        boot(ratePerSource);
        runUntil(day(0).plusSeconds(60));
        assertTrue(snapshots().values().stream().allMatch(s -> s.state() == ZoneState.READY), "ready: " + snapshots());

        for (int d = 1; d <= 60; d++) {
            if (d == 20) {
                runUntil(downFrom);
                down.up = false;
                down.serials.merge(DOWN, 1L, Long::sum); // it changed while nobody could ask
                published.computeIfAbsent(DOWN, k -> new ArrayList<>()).add(down.serials.get(DOWN));
            }
            runUntil(day(d).plus(Duration.ofHours(8)));
            if (d % 7 == 0) change(weekly, WEEKLY); // once a week: its primary says nothing in between
            if (d == 3 || d == 10 || d == 11 || d == 40) burst();
            if (d < 20 && d % 2 == 0) change(down, DOWN);
            if (d == 15 || d == 24 || d == 45) restart(Duration.ofHours(d == 15 ? 6 : 2), ratePerSource);
            if (d == 30) {
                runUntil(downUntil);
                down.up = true;
                notifyAndVerify(down, DOWN, 1); // back: it notifies after ten quiet days
            }
        }
        runUntil(day(61));
        finish();

        assertEquals(List.of(), problems, "over 60 days");
        assertEquals(notifiesSent, notifiesAnswered, "every NOTIFY answered");
        for (Name z : List.of(WEEKLY, BUSY, BUSY2, DOWN)) {
            assertEquals(published.get(z), updatedSerials(z), "every change of " + z + " verified, in order");
        }
        assertTrue(published.get(WEEKLY).size() >= 8 && published.get(BUSY).size() > 100, "traffic: " + published);

        // The outage: refresh failures, then the warning an hour before EXPIRE, expiry exactly at
        // EXPIRE after the last good check (across the restart on day 24), and recovery.
        Instant expiry = downLastGood.plusSeconds(DOWN_EXPIRE_SECONDS);
        assertTrue(downLastGood.isAfter(downFrom.minus(Duration.ofHours(1))) && !downLastGood.isAfter(downFrom),
                "last good check of down.test. within its REFRESH before the outage: " + downLastGood);
        List<Condition> outage = conditions.stream().filter(c -> DOWN.toString().equals(c.zone())
                && !c.time().isBefore(downFrom) && !c.time().isAfter(downUntil)).toList();
        assertEquals(List.of(expiry), times(outage, ConditionType.ZONE_EXPIRED, true), "expired exactly at EXPIRE");
        assertEquals(expiry.minus(Duration.ofHours(1)), last(times(outage, ConditionType.ZONE_EXPIRING, true)),
                "zone-expiring an hour (expire-warning) before");
        assertTrue(times(outage, ConditionType.ZONE_REFRESH_FAILED, true).stream()
                .allMatch(t -> t.isAfter(downFrom) && t.isBefore(expiry)), "refresh failing before it expired");
        assertTrue(!times(outage, ConditionType.ZONE_REFRESH_FAILED, true).isEmpty(), "refresh failing: " + outage);
        for (ConditionType back : List.of(ConditionType.ZONE_RECOVERED, ConditionType.ZONE_READY)) {
            assertEquals(List.of(downUntil), times(outage, back, true), back + " when the primary came back");
        }
        assertEquals(List.of(downUntil), times(outage, ConditionType.ZONE_EXPIRED, false), "expiry cleared");
        assertEquals(List.of(), conditions.stream().filter(c -> !DOWN.toString().equals(c.zone()) && c.raised()
                && (c.type() == ConditionType.ZONE_REFRESH_FAILED || c.type() == ConditionType.ZONE_EXPIRING
                || c.type() == ConditionType.ZONE_EXPIRED)).toList(), "no trouble for zones whose primary was up");

        // The SOA check scheduling: REFRESH apart while the primary answers, RETRY apart while not
        // (longer only across a restart, by at most its downtime).
        for (Primary p : primaries) {
            for (Name z : p.serials.keySet()) {
                List<Instant> at = checks.get(z);
                for (int i = 1; i < at.size(); i++) {
                    Instant a = at.get(i - 1);
                    Instant b = at.get(i);
                    boolean failing = z.equals(DOWN) && a.isAfter(downFrom) && b.isBefore(downUntil);
                    Duration most = Duration.ofSeconds(failing ? p.retry : p.refresh).plus(restartedBetween(a, b));
                    if (Duration.between(a, b).compareTo(most) > 0) {
                        problems.add(z + ": no check between " + a + " and " + b + " (at most " + most + " apart)");
                    }
                }
            }
        }
        assertEquals(List.of(), problems, "check schedule");
    }

    // ---- the daemon's life -------------------------------------------------------------------

    void boot(int ratePerSource) {
        core = new CoreLoop(clock, new Random(7), requests::add, conditions::add);
        core.start(zones, stateFile.read());
        responder = new NotifyResponder(core, new NotifyCounters(), () -> TsigKeys.NONE, ratePerSource,
                ratePerSource, clock::nanoTime);
        saver = new StateSaver(core, stateFile, Duration.ofDays(365)); // saved at stop; its timer is real time
    }

    void finish() {
        saver.close();
        core.close();
        core = null;
    }

    /** A failure half way leaves no core thread behind. */
    @AfterEach
    void stop() {
        if (core != null) finish();
    }

    /** Stops (saving state), stays down for {@code downtime}, starts again from the state file. */
    void restart(Duration downtime, int ratePerSource) {
        finish();
        restarts.put(clock.instant(), downtime);
        clock.advance(downtime);
        boot(ratePerSource);
        settle();
    }

    // ---- traffic -----------------------------------------------------------------------------

    void change(Primary p, Name zone) {
        p.serials.merge(zone, 1L, Long::sum);
        published.computeIfAbsent(zone, k -> new ArrayList<>()).add(p.serials.get(zone));
        notifyAndVerify(p, zone, 1);
    }

    /** Fifty changes a minute apart, each NOTIFY retransmitted 200 times at once, to two zones. */
    void burst() {
        for (int i = 0; i < 50; i++) {
            for (Name z : List.of(BUSY, BUSY2)) {
                busy.serials.merge(z, 1L, Long::sum);
                published.computeIfAbsent(z, k -> new ArrayList<>()).add(busy.serials.get(z));
                notifyAndVerify(busy, z, 200);
            }
            runUntil(clock.instant().plus(Duration.ofMinutes(1)));
        }
    }

    /** Sends {@code copies} NOTIFYs for the zone's new serial; the core must know it a second later. */
    void notifyAndVerify(Primary p, Name zone, int copies) {
        byte[] wire = notify(zone);
        for (int i = 0; i < copies; i++) {
            notifiesSent++;
            byte[] out = responder.respond(wire, p.address, "udp");
            if (out != null && rcode(out) == Rcode.NOERROR) {
                notifiesAnswered++;
            } else if (problems.size() < 20) {
                problems.add(at() + " NOTIFY " + zone + " from " + p.address.getHostAddress() + " copy " + i + ": "
                        + (out == null ? "no answer" : Rcode.string(rcode(out))));
            }
        }
        runUntil(clock.instant().plusSeconds(1));
        long seen = snapshots().get(zone.toString()).serial();
        if (seen != p.serials.get(zone) && problems.size() < 20) {
            problems.add(at() + " " + zone + " serial " + p.serials.get(zone) + " not verified a second after its"
                    + " NOTIFY (core has " + seen + ")");
        }
    }

    // ---- virtual time ------------------------------------------------------------------------

    /** Moves time to {@code t}, stopping at every deadline of the core on the way, as its thread would. */
    void runUntil(Instant t) {
        for (int guard = 0; ; guard++) {
            if (guard > 1_000_000) throw new AssertionError("the core's deadlines do not advance at " + at());
            long next = settle();
            if (next < 0 || next > t.toEpochMilli()) break;
            if (next > clock.millis()) clock.advance(Duration.ofMillis(next - clock.millis()));
        }
        if (t.isAfter(clock.instant())) clock.advance(Duration.between(clock.instant(), t));
        settle();
    }

    /**
     * Runs what is due on the core thread and answers its SOA checks until nothing is left to do;
     * returns the core's next deadline (epoch ms, -1 if none).
     */
    long settle() {
        while (true) {
            long next = core.query(w -> {
                w.runDue();
                return w.nextDeadline();
            }).join();
            boolean any = false;
            for (CheckRequest r; (r = requests.poll()) != null; any = true) core.checkFinished(answer(r));
            if (!any) return next;
        }
    }

    /** The fake primaries' answer: the first target that is up answers with its SOA. */
    CheckResult answer(CheckRequest r) {
        checks.computeIfAbsent(r.zone(), k -> new ArrayList<>()).add(clock.instant());
        for (InetSocketAddress target : r.targets()) {
            for (Primary p : primaries) {
                if (!p.address.equals(target.getAddress()) || !p.up || !p.serials.containsKey(r.zone())) continue;
                if (r.zone().equals(DOWN) && clock.instant().isBefore(downFrom)) downLastGood = clock.instant();
                return CheckResult.success(r.zone(), p.serials.get(r.zone()), p.refresh, p.retry, p.expire, target);
            }
        }
        return CheckResult.failure(r.zone(), "timed out");
    }

    // ---- helpers -----------------------------------------------------------------------------

    Duration restartedBetween(Instant a, Instant b) {
        return restarts.entrySet().stream().filter(e -> !e.getKey().isBefore(a) && e.getKey().isBefore(b))
                .map(Map.Entry::getValue).reduce(Duration.ZERO, Duration::plus);
    }

    static List<Instant> times(List<Condition> cs, ConditionType type, boolean raised) {
        return cs.stream().filter(c -> c.type() == type && c.raised() == raised).map(Condition::time).toList();
    }

    static Instant last(List<Instant> l) {
        return l.isEmpty() ? null : l.get(l.size() - 1);
    }

    Instant day(int d) {
        return start.plus(Duration.ofDays(d));
    }

    String at() {
        Duration since = Duration.between(start, clock.instant());
        return "day " + since.toDays() + " " + since.toHoursPart() + ":" + since.toMinutesPart();
    }

    Map<String, ZoneSnapshot> snapshots() {
        return core.zones().stream().collect(Collectors.toMap(ZoneSnapshot::zone, s -> s));
    }

    List<Long> updatedSerials(Name zone) {
        return conditions.stream().filter(c -> c.type() == ConditionType.ZONE_UPDATED && c.raised()
                && zone.toString().equals(c.zone())).map(Condition::serial).toList();
    }

    static byte[] notify(Name zone) {
        Message m = new Message(0x4242);
        m.getHeader().setOpcode(Opcode.NOTIFY);
        m.getHeader().setFlag(Flags.AA);
        m.addRecord(Record.newRecord(zone, Type.SOA, DClass.IN), Section.QUESTION);
        return m.toWire();
    }

    static int rcode(byte[] answer) {
        return answer[3] & 0x0f;
    }
}
