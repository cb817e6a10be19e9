package net.dnsoops.actuator.hook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import net.dnsoops.core.Condition;
import net.dnsoops.core.ConditionType;
import net.dnsoops.core.Health;
import net.dnsoops.testsupport.Eventually;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real commands through /bin/sh: order, retries, timeouts, isolation of slow hooks. */
class HookActuatorTest {
    @TempDir
    Path dir;

    static Condition updated(String zone, long serial) {
        return new Condition(ConditionType.ZONE_UPDATED, true, Instant.now(), zone, "dns", serial, serial - 1,
                "127.0.0.1", Map.of("last-octet", "4"), "");
    }

    HookConfig hook(String script, Duration timeout, int retries) {
        HookConfig h = new HookConfig();
        h.on = List.of(HookTrigger.parse("zone-updated"));
        h.command = List.of("/bin/sh", "-c", script, "hook", "{zone}", "{serial}");
        h.timeout = timeout;
        h.retries = retries;
        h.retryBackoff = Duration.ofMillis(50);
        return h;
    }

    List<String> lines(String file) throws Exception {
        Path p = dir.resolve(file);
        return Files.exists(p) ? Files.readAllLines(p) : List.of();
    }

    @Test
    void hooksForOneZoneRunInOrderWithTheirValuesAndEnvironment() throws Exception {
        String out = dir.resolve("out").toString();
        HookActuator a = new HookActuator(List.of(hook("sleep 0.0$(($2 % 3)); echo \"$1 $2 $DNS_OOPS_LAST_OCTET\" >> " + out,
                Duration.ofSeconds(5), 0)), 4);
        for (int i = 1; i <= 5; i++) a.apply(updated("a.test.", i));
        Eventually.await(Duration.ofSeconds(10), "5 runs", () -> a.pending() == 0);
        assertEquals(List.of("a.test. 1 4", "a.test. 2 4", "a.test. 3 4", "a.test. 4 4", "a.test. 5 4"), lines("out"));
        assertEquals(Health.Status.OK, a.health().status());
        a.close();
    }

    @Test
    void aFailingHookIsRetriedWithBackoffUntilItSucceeds() throws Exception {
        Path count = dir.resolve("count");
        String script = "echo x >> " + count + "; [ $(wc -l < " + count + ") -ge 3 ]";
        HookActuator a = new HookActuator(List.of(hook(script, Duration.ofSeconds(5), 5)), 2);
        a.apply(updated("a.test.", 1));
        Eventually.await(Duration.ofSeconds(10), "retries done", () -> a.pending() == 0);
        assertEquals(3, lines("count").size(), "two failures, then success, then no more runs");
        assertEquals(Health.Status.OK, a.health().status());
        a.close();
    }

    @Test
    void aHookThatNeverSucceedsGivesUpAndIsReported() throws Exception {
        Path count = dir.resolve("count");
        HookActuator a = new HookActuator(List.of(hook("echo x >> " + count + "; exit 3", Duration.ofSeconds(5), 2)), 2);
        a.apply(updated("a.test.", 1));
        Eventually.await(Duration.ofSeconds(10), "gave up", () -> a.pending() == 0);
        assertEquals(3, lines("count").size(), "first run plus two retries");
        assertEquals(Health.Status.DEGRADED, a.health().status());
        assertTrue(a.health().detail().contains("exit code 3"), a.health().detail());
        a.close();
    }

    @Test
    void aHangingHookIsKilledAtItsTimeoutAndDoesNotDelayOtherZones() throws Exception {
        String out = dir.resolve("out").toString();
        String script = "if [ \"$1\" = slow.test. ]; then sleep 30; fi; echo \"$1\" >> " + out;
        HookActuator a = new HookActuator(List.of(hook(script, Duration.ofSeconds(3), 0)), 2);
        long t0 = System.nanoTime();
        a.apply(updated("slow.test.", 1));
        a.apply(updated("fast.test.", 1));
        Eventually.await(Duration.ofSeconds(5), "fast zone's hook", () -> {
            try {
                return lines("out").contains("fast.test.");
            } catch (Exception e) {
                return false;
            }
        });
        Eventually.await(Duration.ofMillis(2500), "the fast zone's hook finished while the slow one still runs",
                () -> a.pending() == 1);
        Eventually.await(Duration.ofSeconds(20), "slow hook killed", () -> a.pending() == 0);
        assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(20).toNanos(), "killed at its timeout, not after 30 s");
        assertTrue(a.health().detail().contains("timed out"), a.health().detail());
        assertEquals(List.of("fast.test."), lines("out"));
        a.close();
    }

    @Test
    void filtersByTriggerEdgeAndZone() throws Exception {
        String out = dir.resolve("out").toString();
        HookConfig h = hook("echo \"$1\" >> " + out, Duration.ofSeconds(5), 0);
        h.on = List.of(HookTrigger.parse("zone-ready:cleared"));
        h.zones = List.of("b.test");
        HookActuator a = new HookActuator(List.of(h), 2);
        Instant t = Instant.now();
        a.apply(new Condition(ConditionType.ZONE_READY, true, t, "b.test.", "s", 1, -1, "", Map.of(), ""));
        a.apply(new Condition(ConditionType.ZONE_READY, false, t, "a.test.", "s", 1, -1, "", Map.of(), ""));
        a.apply(new Condition(ConditionType.ZONE_READY, false, t, "b.test.", "s", 1, -1, "", Map.of(), ""));
        Eventually.await(Duration.ofSeconds(5), "runs", () -> a.pending() == 0);
        assertEquals(List.of("b.test."), lines("out"));
        a.close();
    }

    static Condition ede(String zone, int code, boolean raised) {
        return new Condition(ConditionType.EDE, raised, Instant.now(), zone, null, -1, -1, "127.0.0.1@53",
                Map.of("code", Integer.toString(code), "code-name", "x", "text", ""), "");
    }

    @Test
    void edeCodesRestrictEdeToThoseCodesAndLeaveOtherConditionsAlone() throws Exception {
        String out = dir.resolve("out").toString();
        HookConfig h = hook("echo \"$1 $2 $DNS_OOPS_CONDITION\" >> " + out, Duration.ofSeconds(5), 0);
        h.command = List.of("/bin/sh", "-c", h.command.get(2), "hook", "{zone}", "{code}");
        h.on = List.of(HookTrigger.parse("ede:any"), HookTrigger.parse("zone-updated"));
        h.edeCodes = List.of(18, 22);
        h.validate();
        HookActuator a = new HookActuator(List.of(h), 2);
        a.apply(ede("a.test.", 14, true));
        a.apply(ede("a.test.", 18, true));
        a.apply(ede("a.test.", 20, false));
        a.apply(ede("a.test.", 22, false));
        a.apply(updated("a.test.", 7));
        Eventually.await(Duration.ofSeconds(5), "runs", () -> a.pending() == 0);
        assertEquals(List.of("a.test. 18 ede", "a.test. 22 ede", "a.test.  zone-updated"), lines("out"));
        a.close();
    }

    /** Many retries must not park a zone's later hooks for days: the doubling stops at max-backoff. */
    @Test
    void retryWaitsDoubleUpToMaxBackoffHoweverManyRetries() throws Exception {
        HookConfig h = hook("true", Duration.ofSeconds(5), 1000);
        h.retryBackoff = Duration.ofSeconds(1);
        assertEquals(List.of(1L, 2L, 4L, 8L, 16L, 32L, 60L, 60L), java.util.stream.IntStream.range(0, 8)
                .mapToObj(i -> h.retryWait(i).toSeconds()).toList());
        assertEquals(Duration.ofMinutes(1), h.retryWait(999), "a thousandth retry waits a minute, not 2^999 s");
        net.dnsoops.config.DnsOopsConfig c = net.dnsoops.config.ConfigLoader.parse("""
                { "hooks": [ { "on": ["zone-updated"], "command": ["true"], "retries": 40,
                               "retry-backoff": "10s", "max-backoff": "5m" } ] }
                """, "hooks.json");
        assertEquals(Duration.ofMinutes(5), c.hooks.get(0).retryWait(39));
        String e = org.junit.jupiter.api.Assertions.assertThrows(net.dnsoops.config.ConfigException.class,
                () -> net.dnsoops.config.ConfigLoader.parse("{ \"hooks\": [ { \"on\": [\"zone-updated\"],"
                        + " \"command\": [\"true\"], \"retry-backoff\": \"2m\" } ] }", "h.json")).getMessage();
        assertTrue(e.contains("max-backoff"), e);
    }
}
