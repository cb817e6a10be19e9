package net.dnsoops.actuator.command;

import net.dnsoops.testsupport.Eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.dnsoops.core.Condition;
import net.dnsoops.core.ConditionType;
import net.dnsoops.core.Health;
import net.dnsoops.core.ServiceSnapshot;
import net.dnsoops.core.StateView;
import net.dnsoops.core.ZoneSnapshot;
import net.dnsoops.core.ZoneState;
import net.dnsoops.route.RouteAttributes;
import net.dnsoops.route.ServiceConfig;
import net.dnsoops.route.ServiceSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command actuator with a recording script as the "routing daemon"; this also exercises the
 * shared reconciling engine: wait for the first round, full pass, diff, retry, withdraw on stop.
 */
@Timeout(30)
class CommandActuatorTest {
    @TempDir
    Path dir;

    static StateView zones(ZoneState state) {
        return new StateView() {
            @Override
            public List<ZoneSnapshot> zones() {
                return List.of(new ZoneSnapshot("a.example.", "g", state, 1, 0, 0, 0, 0, 0, "", ""));
            }

            @Override
            public List<ServiceSnapshot> services() {
                return List.of(new ServiceSnapshot("dns", 1, state.serving() ? 1 : 0, 1, state.serving()));
            }
        };
    }

    CommandActuator actuator(Path log, Path failFlag, StateView state) {
        return actuator(log, failFlag, state, List.of("192.0.2.53/32", "2001:db8::53/128"));
    }

    CommandActuator actuator(Path log, Path failFlag, StateView state, List<String> prefixes) {
        CommandConfig c = new CommandConfig();
        // argv, no shell for dns-oops; the script itself is the stand-in for gobgp/vtysh
        String script = "[ -e " + failFlag + " ] && { rm " + failFlag + "; exit 3; }; echo \"$*\" >> " + log;
        c.announce = List.of("sh", "-c", script, "sh", "announce", "{prefix}", "{family}", "med={med}");
        c.withdraw = List.of("sh", "-c", script, "sh", "withdraw", "{prefix}", "{family}");
        c.resync = Duration.ZERO;
        c.stopTimeout = Duration.ofSeconds(10);
        RouteAttributes up = new RouteAttributes();
        up.med = 100L;
        ServiceSettings s = new ServiceSettings("dns", Set.of("a.example."), prefixes,
                1, 1, Duration.ofSeconds(1), Duration.ZERO, ServiceConfig.WhenDegraded.ANNOUNCE, up, up);
        return new CommandActuator(c, List.of(s), state, Clock.systemUTC());
    }

    /** The service "dns"'s route in the actuator's /status details, "" before the first pass. */
    static String route(CommandActuator a) {
        Object dns = ((Map<?, ?>) a.statusDetails().get("services")).get("dns");
        return dns == null ? "" : (String) ((Map<?, ?>) dns).get("route");
    }

    static List<String> lines(Path log) throws Exception {
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    /** The core's verdict on service "dns" (its only zone a.example.). */
    static Condition zone(boolean ready) {
        return new Condition(ConditionType.SERVICE_READY, ready, Instant.now(), null, "dns", -1, -1, "", Map.of(), "");
    }

    @Test
    void fullPassThenDiffsRetriesAndWithdrawsOnStop() throws Exception {
        Path log = dir.resolve("log");
        Path fail = dir.resolve("fail-once");
        CommandActuator a = actuator(log, fail, zones(ZoneState.FAILING));
        a.start();
        // first pass: nothing desired, so every configured prefix is withdrawn (what a killed run left)
        Eventually.until("full withdraw pass", Duration.ofSeconds(5), () -> uncheckedLines(log).size() == 2);
        assertEquals(Set.of("withdraw 192.0.2.53/32 ipv4", "withdraw 2001:db8::53/128 ipv6"), Set.copyOf(lines(log)));
        Eventually.until("route state after the first pass", Duration.ofSeconds(5), () -> route(a).equals("withdrawn"));

        Files.writeString(fail, ""); // the next command fails once: retried with backoff
        a.apply(zone(true));
        Eventually.until("announced", Duration.ofSeconds(5), () -> uncheckedLines(log).size() >= 4);
        assertTrue(lines(log).contains("announce 192.0.2.53/32 ipv4 med=100"), lines(log).toString());
        assertTrue(lines(log).contains("announce 2001:db8::53/128 ipv6 med=100"), lines(log).toString());
        Eventually.until("healthy again", Duration.ofSeconds(5), () -> a.health().status() == Health.Status.OK);
        // what /status and the page show for the service: its route as the routing daemon confirmed it
        Map<?, ?> dns = (Map<?, ?>) ((Map<?, ?>) a.statusDetails().get("services")).get("dns");
        assertEquals("announced", dns.get("route"));
        assertEquals(List.of("192.0.2.53/32", "2001:db8::53/128"), dns.get("announced"));

        Files.delete(log);
        a.apply(Condition.bridge(ConditionType.BRIDGE_STOPPING, true, Instant.now()));
        a.close(); // returns once the withdrawals succeeded
        assertEquals(Set.of("withdraw 192.0.2.53/32 ipv4", "withdraw 2001:db8::53/128 ipv6"), Set.copyOf(lines(log)));
    }

    @Test
    void waitsForTheFirstVerificationRoundAndSeedsFromIt() throws Exception {
        Path log = dir.resolve("log");
        CommandActuator a = actuator(log, dir.resolve("none"), zones(ZoneState.READY));
        a.start();
        Eventually.until("announced from the seeded state", Duration.ofSeconds(5), () -> uncheckedLines(log).size() == 2);
        assertTrue(lines(log).stream().allMatch(l -> l.startsWith("announce")), lines(log).toString());
        a.close(); // no bridge-stopping: a reload; routes are left to the successor
        assertEquals(2, lines(log).size());
    }

    @Test
    void aReloadThatDropsAPrefixWithdrawsIt() throws Exception {
        Path log = dir.resolve("log");
        CommandActuator before = actuator(log, dir.resolve("none"), zones(ZoneState.READY));
        before.start();
        Eventually.until("announced", Duration.ofSeconds(5), () -> uncheckedLines(log).size() == 2);
        before.close(); // SIGHUP: the old actuator leaves its routes to the new one
        Files.delete(log);
        CommandActuator after = actuator(log, dir.resolve("none"), zones(ZoneState.READY), List.of("192.0.2.53/32"));
        after.start();
        Eventually.until("full pass of the new config", Duration.ofSeconds(5), () -> uncheckedLines(log).size() == 2);
        assertEquals(Set.of("withdraw 2001:db8::53/128 ipv6", "announce 192.0.2.53/32 ipv4 med=100"),
                Set.copyOf(lines(log)));
        after.apply(Condition.bridge(ConditionType.BRIDGE_STOPPING, true, Instant.now()));
        after.close();
    }

    @Test
    void queryRateHighReRunsAnnounceWithItsCommunitiesAndPrependAndClearingRestoresThem() throws Exception {
        Path log = dir.resolve("log");
        CommandConfig c = new CommandConfig();
        c.announce = List.of("sh", "-c", "echo \"$*\" >> " + log, "sh", "announce", "{prefix}", "c={communities}",
                "p={as-path-prepend}");
        c.withdraw = List.of("sh", "-c", "echo \"$*\" >> " + log, "sh", "withdraw", "{prefix}");
        c.resync = Duration.ZERO;
        RouteAttributes up = new RouteAttributes();
        up.communities = List.of("65000:100");
        RouteAttributes busy = new RouteAttributes();
        busy.communities = List.of("65000:777");
        busy.asPathPrepend = List.of(65001L, 65001L);
        ServiceSettings s = new ServiceSettings("dns", Set.of("a.example."), List.of("192.0.2.53/32"), 1, 1,
                Duration.ofSeconds(1), Duration.ZERO, ServiceConfig.WhenDegraded.ANNOUNCE, up, up,
                Map.of(ConditionType.QUERY_RATE_HIGH, busy), Set.of());
        // started (as after a reload) while query-rate-high already holds: the first pass carries it
        StateView state = new StateView() {
            @Override
            public List<ZoneSnapshot> zones() {
                return CommandActuatorTest.zones(ZoneState.READY).zones();
            }

            @Override
            public List<ServiceSnapshot> services() {
                return CommandActuatorTest.zones(ZoneState.READY).services();
            }

            @Override
            public Map<ConditionType, Set<String>> serverConditions() {
                return Map.of(ConditionType.QUERY_RATE_HIGH, Set.of("nsd"));
            }
        };
        CommandActuator a = new CommandActuator(c, List.of(s), state, Clock.systemUTC());
        a.start();
        Eventually.until("announced", Duration.ofSeconds(5), () -> uncheckedLines(log).size() == 1);
        assertEquals("announce 192.0.2.53/32 c=65000:100 65000:777 p=65001 65001", lines(log).get(0));

        a.apply(new Condition(ConditionType.QUERY_RATE_HIGH, false, Instant.now(), null, null, -1, -1, "nsd", Map.of(), ""));
        Eventually.until("re-announced", Duration.ofSeconds(5), () -> uncheckedLines(log).size() == 2);
        assertEquals("announce 192.0.2.53/32 c=65000:100 p=", lines(log).get(1), "cleared: the up attributes alone");

        a.apply(new Condition(ConditionType.QUERY_RATE_HIGH, true, Instant.now(), null, null, -1, -1, "nsd", Map.of(), ""));
        Eventually.until("re-announced", Duration.ofSeconds(5), () -> uncheckedLines(log).size() == 3);
        assertEquals(lines(log).get(0), lines(log).get(2));
        a.close();
    }

    static List<String> uncheckedLines(Path log) {
        try {
            return lines(log);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
