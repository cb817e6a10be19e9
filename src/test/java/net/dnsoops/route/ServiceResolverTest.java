package net.dnsoops.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import net.dnsoops.config.ConfigException;
import net.dnsoops.config.ConfigLoader;
import net.dnsoops.config.DnsOopsConfig;
import org.junit.jupiter.api.Test;

class ServiceResolverTest {
    static DnsOopsConfig load(String services) throws ConfigException {
        return ConfigLoader.parse("""
                { "zones": {
                    "a.example.": { "last-octet": 4, "group": "anycast" },
                    "b.example.": { "last-octet": 5, "group": "anycast" },
                    "c.example.": { "last-octet": 6 } },
                  "services": %s }""".formatted(services), "test.json");
    }

    @Test
    void groupAndTemplatedPrefixesExpandPerZone() throws Exception {
        List<ServiceSettings> s = load("""
                { "ns": { "group": "anycast", "prefixes": ["198.51.100.{last-octet}/32", "2001:DB8::53"] } }""")
                .serviceSettings();
        assertEquals(Set.of("a.example.", "b.example."), s.get(0).zones());
        assertEquals(List.of("198.51.100.4/32", "198.51.100.5/32", "2001:db8::53/128"), s.get(0).prefixes());
    }

    @Test
    void zonesListAndDefaults() throws Exception {
        ServiceSettings s = load("""
                { "ns": { "zones": ["C.Example"], "prefixes": ["192.0.2.0/24"] } }""").serviceSettings().get(0);
        assertEquals(Set.of("c.example."), s.zones());
        assertEquals(1, s.rise());
        assertEquals(ServiceConfig.WhenDegraded.ANNOUNCE, s.whenDegraded());
        assertEquals(s.up(), s.degraded());
    }

    @Test
    void errorsNameTheServiceAndTheProblem() {
        assertMessage("zone nope.example. is not in \"zones\"",
                "{ \"ns\": { \"zones\": [\"nope.example.\"], \"prefixes\": [\"192.0.2.1/32\"] } }");
        assertMessage("no field \"site\"", "{ \"ns\": { \"group\": \"anycast\", \"prefixes\": [\"192.0.2.{site}/32\"] } }");
        assertMessage("host bits set", "{ \"ns\": { \"group\": \"anycast\", \"prefixes\": [\"192.0.2.1/24\"] } }");
        assertMessage("also announced by service", """
                { "x": { "group": "anycast", "prefixes": ["192.0.2.1/32"] },
                  "y": { "zones": ["c.example."], "prefixes": ["192.0.2.1/32"] } }""");
        assertMessage("services.ns: no zones: list \"zones\", name a \"group\", or give zones \"group\": \"ns\"",
                "{ \"ns\": { \"prefixes\": [\"192.0.2.1/32\"] } }");
        assertMessage("unknown key \"prefix\"", "{ \"ns\": { \"group\": \"anycast\", \"prefix\": [] } }");
        assertMessage("\"rise\" must be at least 1", "{ \"ns\": { \"group\": \"anycast\", \"prefixes\": [\"192.0.2.1/32\"], \"rise\": 0 } }");
        assertMessage("community '65000' is not asn:value",
                "{ \"ns\": { \"group\": \"anycast\", \"prefixes\": [\"192.0.2.1/32\"], \"up\": { \"communities\": [\"65000\"] } } }");
    }

    static void assertMessage(String expected, String services) {
        ConfigException e = assertThrows(ConfigException.class, () -> load(services));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().startsWith("test.json:"), e.getMessage());
    }

    @Test
    void prefixTemplates() {
        assertEquals("198.51.100.9/32", PrefixTemplate.expand("198.51.100.{n}/32", Map.of("n", "9")));
        assertEquals("2001:db8::/32", PrefixTemplate.canonical("2001:0db8::/32"));
        assertThrows(IllegalArgumentException.class, () -> PrefixTemplate.canonical("198.51.100.300/32"));
        assertThrows(IllegalArgumentException.class, () -> PrefixTemplate.check("198.51.100.{n/32"));
    }
}
