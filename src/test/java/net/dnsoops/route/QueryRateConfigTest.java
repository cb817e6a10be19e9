package net.dnsoops.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import net.dnsoops.config.ConfigException;
import net.dnsoops.config.ConfigLoader;
import net.dnsoops.core.ConditionType;
import org.junit.jupiter.api.Test;

/** The services' "query-rate-high" / "query-rate-rising" / "query-rate-servers" keys and their checks against "stats". */
class QueryRateConfigTest {
    static String config(String service, String stats) {
        return "{ \"zones\": { \"a.test.\": {} },\n"
                + "  \"stats\": [" + stats + "],\n"
                + "  \"services\": { \"dns\": { \"zones\": [\"a.test.\"], \"prefixes\": [\"192.0.2.53/32\"],\n"
                + service + " } } }";
    }

    static final String NSD = "{ \"server\": \"nsd\", \"name\": \"local-nsd\", \"rate-high\": 5000 }";

    static String error(String text) {
        return assertThrows(ConfigException.class, () -> ConfigLoader.parse(text, "test.json")).getMessage();
    }

    @Test
    void attributesPerConditionAndTheServersTheyFollowAreResolved() throws Exception {
        ServiceSettings s = ConfigLoader.parse(config("""
                "degraded": { "med": 1000 },
                "query-rate-high": { "as-path-prepend": [65001, 65001], "communities": ["65000:666"] },
                "query-rate-rising": { "communities": ["65000:667"] },
                "query-rate-servers": ["local-nsd"]""",
                "{ \"server\": \"nsd\", \"name\": \"local-nsd\", \"rate-high\": 5000, \"rate-rising\": 2000 }"),
                "test.json").serviceSettings().get(0);
        assertEquals(List.of(ConditionType.QUERY_RATE_HIGH, ConditionType.QUERY_RATE_RISING),
                List.copyOf(s.addedWhile().keySet()));
        assertEquals(List.of(65001L, 65001L), s.addedWhile().get(ConditionType.QUERY_RATE_HIGH).asPathPrepend);
        assertEquals(List.of("65000:667"), s.addedWhile().get(ConditionType.QUERY_RATE_RISING).communities);
        assertEquals(Set.of("local-nsd"), s.queryRateServers());
        assertTrue(s.followsServer("local-nsd") && !s.followsServer("other"));
    }

    @Test
    void withoutTheKeysNothingIsAddedAndEveryServerWouldCount() throws Exception {
        ServiceSettings s = ConfigLoader.parse(config("\"up\": {}", NSD), "test.json").serviceSettings().get(0);
        assertEquals(Map.of(), s.addedWhile());
        assertTrue(s.followsServer("anyone"));
    }

    @Test
    void misspeltKeysAndBadAttributesAreLocatedErrors() {
        String m = error(config("\"query-rate-hihg\": { \"communities\": [\"65000:666\"] }", NSD));
        assertTrue(m.startsWith("test.json:4:"), m);
        assertTrue(m.contains("unknown key \"query-rate-hihg\""), m);

        m = error(config("\"query-rate-high\": { \"communities\": [\"65000:666\"], \"prepend\": 2 }", NSD));
        assertTrue(m.startsWith("test.json:4:") && m.contains("unknown key \"prepend\""), m);

        m = error(config("\"query-rate-high\": { \"communities\": [\"65000:70000\"] }", NSD));
        assertTrue(m.startsWith("test.json:4:") && m.contains("services.dns.query-rate-high: community '65000:70000'"), m);

        m = error(config("\"query-rate-high\": { \"as-path-prepend\": 2 }", NSD));
        assertTrue(m.startsWith("test.json:4:") && m.contains("services.dns.query-rate-high.as-path-prepend"), m);
    }

    @Test
    void serversAndConditionsMustExistInStats() {
        String m = error(config("\"query-rate-high\": { \"communities\": [\"65000:666\"] }, \"query-rate-servers\": [\"nsd\"]", NSD));
        assertEquals("test.json:4:54: services.dns.query-rate-servers: no \"stats\" entry is named \"nsd\"; known: local-nsd", m);

        m = error(config("\"query-rate-rising\": { \"communities\": [\"65000:667\"] }", NSD));
        assertTrue(m.contains("\"query-rate-rising\" is never raised: no \"stats\" entry sets \"rate-rising\""), m);

        m = error(config("\"query-rate-high\": { \"communities\": [\"65000:666\"] }", ""));
        assertTrue(m.contains("\"query-rate-high\" is never raised"), m);

        m = error(config("\"query-rate-high\": { \"communities\": [\"65000:666\"] }",
                "{ \"server\": \"nsd\", \"rate-high\": 1 }, { \"server\": \"nsd\", \"control\": \"/x\", \"rate-high\": 1 }"));
        assertTrue(m.contains("two \"stats\" entries are named \"nsd\""), m);

        m = error(config("\"query-rate-servers\": [\"local-nsd\"]", NSD));
        assertTrue(m.contains("\"query-rate-servers\" needs \"query-rate-high\" or \"query-rate-rising\""), m);
    }
}
