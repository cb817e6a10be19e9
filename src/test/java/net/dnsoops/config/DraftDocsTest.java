package net.dnsoops.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Every complete JSON config in the issue-10 docs loads; the config classes reject what they must. */
class DraftDocsTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"probe.md", "dnssec.md", "stats.md", "verify.md"})
    void everyJsonExampleLoads(String page) throws Exception {
        String text = Files.readString(Paths.get("docs", page));
        Matcher m = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL).matcher(text);
        List<String> examples = new ArrayList<>();
        while (m.find()) examples.add(m.group(1));
        assertFalse(examples.isEmpty(), page + " has a JSON example");
        for (String json : examples) {
            Path f = dir.resolve("example.json");
            Files.writeString(f, json);
            DnsOopsConfig c = ConfigLoader.load(f);
            assertTrue(!c.probe.isEmpty() || !c.dnssec.isEmpty() || !c.stats.isEmpty() || !c.verify.isEmpty(), page);
        }
    }

    String error(String json) throws Exception {
        Path f = dir.resolve("bad.json");
        Files.writeString(f, json);
        try {
            ConfigLoader.load(f);
            return "loaded";
        } catch (ConfigException e) {
            return e.getMessage();
        }
    }

    @Test
    void mistakesAreLocatedErrors() throws Exception {
        assertTrue(error("{ \"probe\": [ { \"zone\": \"a.test.\" } ] }").contains("\"address\" is required"));
        assertTrue(error("{ \"probe\": [ { \"address\": \"127.0.0.1@53\", \"zone\": \"a.\", \"fal\": 2 } ] }")
                .contains("fal"));
        assertTrue(error("{ \"stats\": [ { \"server\": \"unbound\", \"rate-high\": 1 } ] }").contains("\"server\" must be"));
        assertTrue(error("{ \"stats\": [ { \"server\": \"nsd\" } ] }").contains("rate-high"));
        assertTrue(error("{ \"verify\": [ { \"zones\": [\"a.\"], \"zonemd\": \"maybe\" } ] }").contains("\"zonemd\" must be"));
        assertTrue(error("{ \"dnssec\": [ { \"address\": \"127.0.0.1@53\", \"zones\": [\"a.\"], \"types\": [\"NOPE\"] } ] }")
                .contains("unknown RR type"));
        String zoneA = "\"zones\": { \"a.\": {} }, ";
        assertTrue(error("{ " + zoneA + "\"verify\": [ { \"zones\": [\"a.\"], \"ixfr-max-records\": 0 } ] }")
                .contains("\"ixfr-max-records\" must be at least 1"));
        assertTrue(error("{ " + zoneA + "\"verify\": [ { \"zones\": [\"a.\"], \"trust-anchor\": {} } ] }")
                .contains("exactly one of \"ds\""));
        String unknown = error("{ " + zoneA + "\"verify\": [ { \"zones\": [\"a.\"], \"trust-anchor\": { \"parent\": \"127.0.0.1@53\","
                + " \"dss\": [] } } ] }");
        assertTrue(unknown.matches("(?s).*verify\\[0\\]\\.trust-anchor.*dss.*"), unknown);
        assertTrue(error("{ " + zoneA + "\"verify\": [ { \"zones\": [\"a.\"], \"trust-anchor\": { \"ds\": [\"b. DS 1 13 2 " + "00".repeat(32) + "\"] } } ] }")
                .contains("has no DS record for a."));
        assertTrue(error("{ " + zoneA + "\"verify\": [ { \"zones\": [\"a.\"], \"trust-anchor\": { \"ds\": [\"a. A 192.0.2.1\"] } } ] }")
                .contains("not one DS record"));
        assertTrue(error("{ " + zoneA + "\"verify\": [ { \"zones\": [\"b.\"] } ] }").contains("verify[0].zones: b. is not under \"zones\""));
        assertTrue(error("{ " + zoneA + "\"verify\": [ { \"zones\": [\"a.\"] }, { \"zones\": [\"A.\"] } ] }")
                .contains("in two \"verify\" entries"));
        assertTrue(error("{ " + zoneA + "\"verify\": [ { \"zones\": [\"a.\"], \"key\": \"nope\" } ] }")
                .contains("verify[0].key: no key named \"nope\""));
        String located = error("{\n \"probe\": [ { \"zone\": \"a.test.\" } ] }");
        assertTrue(located.matches("(?s).*bad\\.json:2:\\d+.*"), located);
        assertEquals("loaded", error("{ \"probe\": [ { \"address\": \"127.0.0.1@53\", \"zone\": \"a.test.\" } ] }"));
    }
}
