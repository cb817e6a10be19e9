package net.dnsoops.actuator.hook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import net.dnsoops.core.Condition;
import net.dnsoops.core.ConditionType;
import org.junit.jupiter.api.Test;

class CommandTemplateTest {
    static final Condition UPDATED = new Condition(ConditionType.ZONE_UPDATED, true, Instant.parse("2026-01-02T03:04:05Z"),
            "oops.example.com.", "dns", 2024010102L, 2024010101L, "192.0.2.1", Map.of("last-octet", "4"), "");

    @Test
    void argumentsAreExpandedOneByOne() {
        List<String> argv = CommandTemplate.expand(List.of("scripts/hooks/announce", "{zone}", "{serial}", "{source}",
                "198.51.100.{last-octet}/32", "{old-serial}->{serial}", "{zone-nodot}", "{condition}:{state}", "{nope}"),
                CommandTemplate.variables(UPDATED));
        assertEquals(List.of("scripts/hooks/announce", "oops.example.com.", "2024010102", "192.0.2.1",
                "198.51.100.4/32", "2024010101->2024010102", "oops.example.com", "zone-updated:raised", ""), argv);
    }

    @Test
    void aBareProgramGetsNsnotifydsArguments() {
        HookConfig h = new HookConfig();
        h.command = List.of("/usr/local/bin/on-change");
        assertEquals(List.of("/usr/local/bin/on-change", "oops.example.com.", "2024010102", "192.0.2.1"),
                CommandTemplate.expand(h.argvTemplate(), CommandTemplate.variables(UPDATED)));
    }

    @Test
    void valuesCannotInjectWordsBecauseNoShellIsInvolved() {
        Condition evil = new Condition(ConditionType.ZONE_READY, true, Instant.EPOCH, "x.", "s", 1, -1,
                "a b; rm -rf /", Map.of(), "");
        assertEquals(List.of("echo", "a b; rm -rf /"), CommandTemplate.expand(List.of("echo", "{source}"),
                CommandTemplate.variables(evil)));
    }

    @Test
    void theSameValuesAreInTheEnvironment() {
        Map<String, String> env = CommandTemplate.environment(CommandTemplate.variables(UPDATED));
        assertEquals("oops.example.com.", env.get("DNS_OOPS_ZONE"));
        assertEquals("4", env.get("DNS_OOPS_LAST_OCTET"));
        assertEquals("2024010101", env.get("DNS_OOPS_OLD_SERIAL"));
        assertEquals("zone-updated", env.get("DNS_OOPS_CONDITION"));
        assertEquals("2026-01-02T03:04:05Z", env.get("DNS_OOPS_TIME"));
    }
}
