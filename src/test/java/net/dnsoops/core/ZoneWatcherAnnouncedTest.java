package net.dnsoops.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

/** The trusted-serial path (Knot D-Bus with "trust-serial"): committed like a verified check, no query. */
class ZoneWatcherAnnouncedTest {
    private static final Name ZONE = Name.fromConstantString("knot.test.");
    private final List<Condition> out = new ArrayList<>();
    private final List<CheckRequest> queries = new ArrayList<>();
    private final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    private ZoneWatcher watcher(List<java.net.InetSocketAddress> primaries) {
        ZoneTimers t = new ZoneTimers(Duration.ofSeconds(5), Duration.ofDays(1), Duration.ofSeconds(1),
                Duration.ofHours(1), Duration.ofSeconds(10), Duration.ofDays(28), Duration.ofSeconds(10),
                Duration.ofHours(1), 0, 2, Duration.ZERO);
        ZoneSettings s = new ZoneSettings(ZONE, "default", primaries, List.of(), false, 53, t, Duration.ofSeconds(1), 1,
                Map.of(), null, null);
        ZoneWatcher w = new ZoneWatcher(clock, new Random(1), queries::add, out::add);
        w.configure(List.of(s));
        w.start();
        return w;
    }

    private List<String> names() {
        return out.stream().map(c -> c.type().wireName() + (c.serial() >= 0 ? " " + c.serial() : "")).toList();
    }

    @Test
    void announcedSerialsMakeTheZoneReadyThenUpdatedWithoutAQuery() {
        ZoneWatcher w = watcher(List.of());
        w.announced(ZONE, 2024010101L, "cz.nic.knotd");
        w.announced(ZONE, 2024010102L, "cz.nic.knotd");
        w.announced(ZONE, 2024010102L, "cz.nic.knotd"); // same serial: nothing new
        assertTrue(queries.isEmpty(), "no SOA query on the trusted path");
        assertTrue(names().contains("zone-ready 2024010101"), names().toString());
        assertEquals(1, names().stream().filter(n -> n.startsWith("zone-updated")).count(), names().toString());
        Condition updated = out.stream().filter(c -> c.type() == ConditionType.ZONE_UPDATED).findFirst().orElseThrow();
        assertEquals(2024010101L, updated.oldSerial());
        assertEquals("cz.nic.knotd", updated.source());
        ZoneSnapshot z = w.zone(ZONE);
        assertEquals(ZoneState.READY, z.state());
        assertEquals(2024010102L, z.serial());
        // Before any SOA is known the expire clamp's maximum applies, not its minimum.
        assertEquals(Duration.ofDays(28).toMillis(), z.expireAtMs() - z.lastSuccessMs());
    }

    @Test
    void aQueryInFlightIsNotOvertakenButFollowedByAnother() {
        ZoneWatcher w = watcher(List.of(new java.net.InetSocketAddress("127.0.0.1", 5353)));
        w.runDue(); // the first check goes out
        assertEquals(1, queries.size());
        w.announced(ZONE, 2024010102L, "cz.nic.knotd");
        assertTrue(out.stream().noneMatch(c -> c.type() == ConditionType.ZONE_READY), "waits for the query");
        w.checkFinished(CheckResult.success(ZONE, 2024010101L, 3600, 600, 86400,
                new java.net.InetSocketAddress("127.0.0.1", 5353)));
        assertEquals(2, queries.size(), "one more check after the one in flight");
    }
}
