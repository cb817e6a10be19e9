package net.dnsoops.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import net.dnsoops.cli.StatusCommand;
import net.dnsoops.core.CheckRequest;
import net.dnsoops.core.CheckResult;
import net.dnsoops.core.Condition;
import net.dnsoops.core.ConditionType;
import net.dnsoops.core.CoreLoop;
import net.dnsoops.core.MutableClock;
import net.dnsoops.core.ServiceSnapshot;
import net.dnsoops.core.ZoneSettings;
import net.dnsoops.core.ZoneSnapshot;
import net.dnsoops.core.ZoneState;
import net.dnsoops.core.ZoneTimers;
import net.dnsoops.route.RouteAttributes;
import net.dnsoops.route.RoutePolicy;
import net.dnsoops.route.ServiceConfig;
import net.dnsoops.route.ServiceSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

/**
 * One truth about readiness: for each way a service stops (or keeps) being ready, the route
 * policy's desired routes, the service-ready / service-not-ready conditions, /status (what the
 * page shows), {@code dns-oops status}'s exit code and /health/services agree, with the same
 * reason. The core runs on its own thread as in the daemon; time is virtual.
 *
 * <p>Services "a" (zone a.test.) and "b" (zone b.test.) are "services" entries with prefixes;
 * both zones have the default group, so the core also has service "default" with both.
 */
class ReadinessAgreementTest {
    static final InetSocketAddress PRIMARY = new InetSocketAddress(InetAddress.getLoopbackAddress(), 5300);
    /** refresh 5 s..1 d, retry 1 s..1 h, expire 10 s..28 d, expiry warning 1 h, no jitter, 2 failures = refresh-failed. */
    static final ZoneTimers TIMERS = new ZoneTimers(Duration.ofSeconds(5), Duration.ofDays(1), Duration.ofSeconds(1),
            Duration.ofHours(1), Duration.ofSeconds(10), Duration.ofDays(28), Duration.ofSeconds(10),
            Duration.ofHours(1), 0.0, 2, Duration.ZERO);
    static final String A = "192.0.2.1/32";
    static final String B = "192.0.2.2/32";

    final MutableClock clock = new MutableClock();
    final ConcurrentLinkedQueue<CheckRequest> checks = new ConcurrentLinkedQueue<>();
    final List<Condition> conditions = new CopyOnWriteArrayList<>();
    RoutePolicy policy;
    CoreLoop core;

    static ZoneSettings zone(String name) {
        return new ZoneSettings(Name.fromConstantString(name), "default", List.of(PRIMARY), List.of(), false, 53, TIMERS,
                Duration.ofSeconds(1), 2, Map.of(), null, null);
    }

    static ServiceSettings service(String name, String zone, String prefix) {
        RouteAttributes up = new RouteAttributes();
        up.med = 100L;
        RouteAttributes degraded = new RouteAttributes();
        degraded.med = 1000L;
        return new ServiceSettings(name, Set.of(zone), List.of(prefix), 1, 1, Duration.ofSeconds(1), Duration.ZERO,
                ServiceConfig.WhenDegraded.ANNOUNCE, up, degraded);
    }

    @BeforeEach
    void start() {
        policy = new RoutePolicy(clock, List.of(service("a", "a.test.", A), service("b", "b.test.", B)));
        core = new CoreLoop(clock, new java.util.Random(1), checks::add, c -> {
            conditions.add(c);
            policy.apply(c); // on the core thread, as the route actuators' queue would feed it
        });
        core.start(List.of(zone("a.test."), zone("b.test.")), List.of(),
                Map.of("a", Set.of("a.test."), "b", Set.of("b.test.")));
        answer(z -> true);
        everythingAgrees(Map.of("a", true, "b", true, "default", true));
    }

    @AfterEach
    void stop() {
        core.close();
    }

    /** Waits until the core thread has handled everything submitted so far. */
    void sync() {
        core.query(w -> null).join();
    }

    /** Moves time on and lets the core handle what became due. */
    void advance(Duration d) {
        sync();
        clock.advance(d);
        core.query(w -> {
            w.runDue();
            return null;
        }).join();
    }

    /** Answers every SOA check asked for so far: success (serial 1) where {@code ok} says so. */
    void answer(java.util.function.Predicate<String> ok) {
        core.query(w -> {
            w.runDue(); // due checks are sent after the core's batch: send them now
            return null;
        }).join();
        for (CheckRequest r; (r = checks.poll()) != null; ) {
            String z = r.zone().toString();
            core.checkFinished(ok.test(z) ? CheckResult.success(r.zone(), 1, 3600, 60, 86400, PRIMARY)
                    : CheckResult.failure(r.zone(), "timeout from " + PRIMARY));
        }
        sync();
    }

    OpsSources sources() {
        RecentConditions recent = new RecentConditions(10);
        return new OpsSources() {
            @Override
            public CompletableFuture<net.dnsoops.core.ZonePage> zonePage(net.dnsoops.core.ZoneQuery q) {
                return core.query(w -> w.zonePage(q));
            }

            @Override
            public boolean drained() {
                return core.query(w -> w.services().stream().anyMatch(s -> s.drained())).join();
            }

            @Override
            public CompletableFuture<Map<ZoneState, Integer>> zoneStates() {
                return core.query(w -> w.stateCounts());
            }

            @Override
            public CompletableFuture<List<ServiceSnapshot>> services() {
                return core.query(w -> w.services());
            }

            @Override
            public CompletableFuture<net.dnsoops.core.Readiness> readiness() {
                return core.query(w -> w.readiness());
            }

            @Override
            public List<Component> components() {
                return List.of();
            }

            @Override
            public Map<String, Long> notifyAnswers() {
                return Map.of();
            }

            @Override
            public Map<String, Long> notifyRejected() {
                return Map.of();
            }

            @Override
            public long notifyDropped() {
                return 0;
            }

            @Override
            public long soaChecks() {
                return 0;
            }

            @Override
            public long soaFailures() {
                return 0;
            }

            @Override
            public long soaQueryTimeouts() {
                return 0;
            }

            @Override
            public long hookRuns() {
                return 0;
            }

            @Override
            public long hookFailures() {
                return 0;
            }

            @Override
            public Map<String, Long> queueDepths() {
                return Map.of();
            }

            @Override
            public RecentConditions conditions() {
                return recent;
            }

            @Override
            public Instant startedAt() {
                return clock.instant();
            }
        };
    }

    /** The last service-ready / service-not-ready the core signalled for {@code service}: ready or not, null if none. */
    Condition lastVerdict(String service) {
        Condition last = null;
        for (Condition c : conditions) {
            if (!service.equals(c.service()) || c.zone() != null) continue;
            if (c.type() == ConditionType.SERVICE_READY || c.type() == ConditionType.SERVICE_NOT_READY) last = c;
        }
        return last;
    }

    /**
     * Route, conditions, /status (and so the page), the CLI's exit code and /health/services all
     * say {@code expected} (service -> ready); returns /status's entry of each service.
     */
    Map<String, JsonNode> everythingAgrees(Map<String, Boolean> expected) {
        sync();
        OpsSources src = sources();
        ObjectMapper json = new ObjectMapper();
        JsonNode status = json.valueToTree(StatusReport.status(src, StatusReport.query(Map.of())));
        Map<String, JsonNode> entries = new java.util.HashMap<>();
        for (JsonNode s : status.path("services")) entries.put(s.path("service").asText(), s);
        boolean all = true;
        for (Map.Entry<String, Boolean> e : expected.entrySet()) {
            String name = e.getKey();
            boolean ready = e.getValue();
            all &= ready;
            Condition v = lastVerdict(name);
            assertNotNull(v, "no verdict signalled for " + name);
            boolean signalled = v.type() == ConditionType.SERVICE_READY ? v.raised() : !v.raised();
            assertEquals(ready, signalled, name + ": service-ready says " + v);
            JsonNode entry = entries.get(name);
            assertNotNull(entry, name + " in /status: " + status);
            assertEquals(ready, entry.path("ready").asBoolean(), name + " in /status: " + entry);
            assertFalse(entry.has("states"), name + ": per-state counts are shown once, as zones-by-state: " + entry);
            if (!ready) assertEquals(v.detail(), entry.path("reason").asText(), name + ": one reason");
            Map<String, Object> health = StatusReport.services(src, name);
            assertEquals(ready, health.get("ready"), name + " in /health/services/" + name + ": " + health);
            if (!name.equals("default")) {
                String prefix = name.equals("a") ? A : B;
                assertEquals(ready, policy.desired().containsKey(prefix), name + ": route " + policy.desired());
            }
        }
        assertEquals(all, status.path("readiness").path("ready").asBoolean(), "/status readiness: " + status.path("readiness"));
        assertEquals(all ? 0 : 1, StatusCommand.exitCode(status), "dns-oops status exit code");
        assertEquals(all, StatusReport.services(src, null).get("ready"), "/health/services");
        return entries;
    }

    @Test
    void aLaterPageByNameListsTheRestAndLeavesTheCountsToTheFirst() {
        sync();
        ObjectMapper json = new ObjectMapper();
        JsonNode first = json.valueToTree(StatusReport.status(sources(),
                StatusReport.query(Map.of("order", List.of("name"), "limit", List.of("1")))));
        assertEquals("a.test.", first.path("zones").path(0).path("zone").asText());
        assertTrue(first.has("summary") && first.has("readiness") && first.has("services"), first.toString());
        JsonNode second = json.valueToTree(StatusReport.status(sources(), StatusReport.query(Map.of("order", List.of("name"),
                "limit", List.of("1"), "after", List.of(first.path("next").asText())))));
        assertEquals("b.test.", second.path("zones").path(0).path("zone").asText());
        assertTrue(second.path("next").isNull(), "the last page");
        assertFalse(second.has("summary") || second.has("readiness") || second.has("services"),
                "no counts on a page read without a pass over every zone: " + second);
    }

    @Test
    void aZoneWhoseRefreshesFailIsStillServedAndItsServiceReadyWithDegradedRoutes() {
        advance(Duration.ofSeconds(3600)); // refresh due for both
        answer(z -> !z.equals("a.test."));
        advance(Duration.ofSeconds(60)); // retry
        answer(z -> !z.equals("a.test."));
        assertEquals(ZoneState.REFRESH_FAILING, core.query(w -> w.zone(Name.fromConstantString("a.test."))).join().state());
        Map<String, JsonNode> s = everythingAgrees(Map.of("a", true, "b", true, "default", true));
        assertTrue(s.get("a").path("degraded").asBoolean(), s.get("a").toString());
        assertEquals(1, s.get("a").path("zones-by-state").path("refresh-failing").asInt(), s.get("a").toString());
        assertEquals(1000L, policy.desired().get(A).attributes().med, "announced with the degraded attributes");
        assertEquals(100L, policy.desired().get(B).attributes().med);
    }

    @Test
    void anExpiringZoneIsStillServed() {
        advance(Duration.ofSeconds(3600));
        answer(z -> !z.equals("a.test."));
        for (int i = 0; i < 24 && core.query(w -> w.zone(Name.fromConstantString("a.test."))).join().state()
                != ZoneState.EXPIRING; i++) {
            advance(Duration.ofHours(1));
            answer(z -> !z.equals("a.test."));
        }
        assertEquals(ZoneState.EXPIRING, core.query(w -> w.zone(Name.fromConstantString("a.test."))).join().state());
        Map<String, JsonNode> s = everythingAgrees(Map.of("a", true, "b", true, "default", true));
        assertTrue(s.get("a").path("degraded").asBoolean());
        assertEquals(1000L, policy.desired().get(A).attributes().med);
    }

    @Test
    void anExpiredZoneMakesItsServicesNotReady() {
        advance(Duration.ofSeconds(3600));
        answer(z -> !z.equals("a.test."));
        for (int i = 0; i < 30 && core.query(w -> w.zone(Name.fromConstantString("a.test."))).join().state()
                != ZoneState.EXPIRED; i++) {
            advance(Duration.ofHours(1));
            answer(z -> !z.equals("a.test."));
        }
        Map<String, JsonNode> s = everythingAgrees(Map.of("a", false, "b", true, "default", false));
        assertEquals("1 of 1 zones not ready", s.get("a").path("reason").asText());
        assertEquals(1, s.get("a").path("zones-by-state").path("expired").asInt());
    }

    @Test
    void aProbeOfOneOfTwoServicesWithdrawsOnlyThatService() {
        core.serverHealth("local-nsd", false, Set.of("a"), "3 failed probes");
        Map<String, JsonNode> s = everythingAgrees(Map.of("a", false, "b", true, "default", true));
        assertEquals("server down: local-nsd", s.get("a").path("reason").asText());
        assertEquals("local-nsd", s.get("a").path("servers-down").get(0).asText());
        core.serverHealth("local-nsd", true, Set.of("a"), "2 good probes");
        everythingAgrees(Map.of("a", true, "b", true, "default", true));
    }

    @Test
    void aRequireValidZoneThatIsInvalidWithdrawsItsService() {
        List<Name> asked = new CopyOnWriteArrayList<>();
        core.registerVerifier(Set.of(Name.fromConstantString("a.test.")), true, r -> asked.add(r.zone()));
        sync();
        assertEquals(List.of(Name.fromConstantString("a.test.")), asked, "a ready zone is verified at once");
        core.verifyFinished(Name.fromConstantString("a.test."), 1, false, "RRSIG for a.test./SOA does not verify");
        Map<String, JsonNode> s = everythingAgrees(Map.of("a", false, "b", true, "default", false));
        assertEquals("1 zone(s) not verified valid", s.get("a").path("reason").asText());
        core.verifyFinished(Name.fromConstantString("a.test."), 1, true, "");
        everythingAgrees(Map.of("a", true, "b", true, "default", true));
    }

    @Test
    void knotdStoppedOnDbusMakesEveryServiceNotReady() {
        core.serverEvent("cz.nic.knotd", false, "knotd stopped");
        Map<String, JsonNode> s = everythingAgrees(Map.of("a", false, "b", false, "default", false));
        assertEquals("server down: cz.nic.knotd", s.get("b").path("reason").asText());
        core.serverEvent("cz.nic.knotd", true, "knotd started");
        everythingAgrees(Map.of("a", true, "b", true, "default", true));
    }

    @Test
    void drainedMakesEveryServiceNotReady() {
        core.emitBridge(ConditionType.DRAINING, true);
        Map<String, JsonNode> s = everythingAgrees(Map.of("a", false, "b", false, "default", false));
        assertEquals("drained", s.get("a").path("reason").asText());
        assertTrue(s.get("a").path("drained").asBoolean());
        core.emitBridge(ConditionType.DRAINING, false);
        everythingAgrees(Map.of("a", true, "b", true, "default", true));
    }

    @Test
    void aServiceNotReadyAtAllKeepsTheDaemonNotReadyUntilItIs() {
        // sanity of the shared rule: one not-ready service is enough for 503 and exit 1
        core.serverHealth("p", false, Set.of("b"), "down");
        everythingAgrees(Map.of("a", true, "b", false, "default", true));
        assertFalse(policy.desired().containsKey(B));
        assertEquals(new ArrayList<>(List.of(A)), new ArrayList<>(policy.desired().keySet()));
    }
}
