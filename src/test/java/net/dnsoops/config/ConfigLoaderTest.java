package net.dnsoops.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import net.dnsoops.core.ZoneSettings;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {
    static final String SEED = """
            { "_comment": "Some information should be templated",
              "zones": { "oops.example.com.": { "last-octet": 4, "generate-dsc": true, "generate-pcap": false } } }
            """;

    static String error(String text) {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(text, "test.json"));
        return e.getMessage();
    }

    /** A probe serves services: "services" entries or zone groups; anything else is a typo to report. */
    @Test
    void aProbeMustNameServicesThatExist() throws Exception {
        String base = "{ \"zones\": { \"a.test.\": { \"group\": \"anycast\" } },"
                + " \"services\": { \"dns\": { \"zones\": [\"a.test.\"], \"prefixes\": [\"192.0.2.1/32\"] } },"
                + " \"probe\": [ { \"address\": \"127.0.0.1@53\", \"zone\": \"a.test.\", \"services\": [%s] } ] }";
        ConfigLoader.parse(base.formatted("\"dns\", \"anycast\""), "test.json");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(base.formatted("\"dsn\""), "test.json"));
        assertTrue(e.getMessage().contains("\"services\": no service \"dsn\" (services are the \"services\" entries and the"
                + " zones' groups: anycast, dns)"), e.getMessage());
    }

    @Test
    void theSeedConfigLoadsAsItIsAndMeansSomething() throws Exception {
        DnsOopsConfig c = ConfigLoader.parse(SEED, "seed.json");
        List<ZoneSettings> zones = c.zoneSettings();
        assertEquals(1, zones.size());
        ZoneSettings z = zones.get(0);
        assertEquals("oops.example.com.", z.zoneText());
        assertEquals("4", z.fields().get("last-octet"), "free fields become template variables");
        assertEquals("true", z.fields().get("generate-dsc"));
        assertEquals("default", z.service());
        assertEquals("127.0.0.1@53530", ConfigValues.format(c.listen.get(0)));
    }

    @Test
    void theShippedDefaultConfigLoads() throws Exception {
        DnsOopsConfig c = ConfigLoader.load(Path.of("conf/dns-oops.json"));
        assertEquals(1, c.zones.size());
        assertEquals(1, c.hooks.size());
    }

    @Test
    void zonesInheritDefaultsAndOverrideThem() throws Exception {
        DnsOopsConfig c = ConfigLoader.parse("""
                { "defaults": { "primaries": ["192.0.2.1@5300", "[2001:db8::1]@53"], "soa-timeout": "750ms", "group": "dns" },
                  "zones": { "A.example.": {}, "b.example": { "primaries": ["192.0.2.2"], "group": "other", "min-refresh": 60 } } }
                """, "t.json");
        ZoneSettings a = c.zoneSettings().get(0);
        ZoneSettings b = c.zoneSettings().get(1);
        assertEquals("a.example.", a.zoneText(), "names are absolute and lower case");
        assertEquals(2, a.primaries().size());
        assertEquals(5300, a.primaries().get(0).getPort());
        assertEquals(Duration.ofMillis(750), a.soaTimeout());
        assertEquals("dns", a.service());
        assertEquals("b.example.", b.zoneText());
        assertEquals(53, b.primaries().get(0).getPort(), "port 53 when none is given");
        assertEquals("other", b.service());
        assertEquals(Duration.ofSeconds(60), b.timers().minRefresh());
        assertEquals(Duration.ofMillis(750), b.soaTimeout());
    }

    @Test
    void zonesWrittenAsEmptyObjectsShareOneConfigAndTheOthersKeepTheirOwn() throws Exception {
        DnsOopsConfig c = ConfigLoader.parse("""
                { "defaults": { "primaries": ["192.0.2.1"] },
                  "zones": { "a.example.": {}, "b.example.": { }, "c.example.": { "soa-tries": 3 },
                             "d.example.": { "site": "ams" } } }
                """, "t.json");
        List<ZoneConfig> zones = List.copyOf(c.zones.values());
        assertSame(zones.get(0), zones.get(1), "memory: a million {} are one object");
        assertEquals(3, zones.get(2).soaTries);
        assertEquals(Map.of("site", "ams"), zones.get(3).fields());
        assertTrue(zones.get(0).setsNothing() && zones.get(0).fields().isEmpty(), "the shared one stays empty");
        assertEquals(List.of(2, 2, 3, 2), c.zoneSettings().stream().map(ZoneSettings::soaTries).toList());
        assertEquals("ams", c.zoneSettings().get(3).fields().get("site"));
    }

    @Test
    void theSameZoneTwiceInAnotherSpellingIsAnErrorNotASilentMerge() {
        // the parser's own duplicate check compares text: these passed it, and the second won
        String m = error("{ \"zones\": {\n \"a.test.\": { \"soa-tries\": 3 },\n \"A.Test\": {} } }");
        assertTrue(m.startsWith("test.json:3:"), m);
        assertTrue(m.contains("zone \"A.Test\" is listed twice") && m.contains("a.test."), m);
        String same = error("{ \"zones\": { \"a.test.\": {}, \"a.test.\": {} } }");
        assertTrue(same.contains("a.test."), same);
        assertTrue(error("{ \"zones\": [] }").contains("must be an object"));
        String nullZone = error("{ \"zones\": { \"a.test.\": null } }"); // once a NullPointerException
        assertTrue(nullZone.contains("zones.\"a.test.\"") && nullZone.contains("must be an object"), nullZone);
    }

    @Test
    void unknownTopLevelKeyNamesFileLineColumnAndKey() {
        String m = error("{\n  \"listen\": [\"127.0.0.1@53\"],\n  \"lisen\": []\n}");
        assertTrue(m.startsWith("test.json:3:"), m);
        assertTrue(m.contains("unknown key \"lisen\""), m);
        assertTrue(m.contains("listen"), "lists the known keys: " + m);
    }

    @Test
    void misspeltZoneKeyIsAnErrorNotATemplateField() {
        String m = error("{ \"zones\": {\n \"a.test.\": {\n \"primarys\": [\"127.0.0.1\"] } } }");
        assertTrue(m.startsWith("test.json:3:"), m);
        assertTrue(m.contains("zones.\"a.test.\""), m);
        assertTrue(m.contains("did you mean \"primaries\""), m);
    }

    @Test
    void badValuesNameTheFieldPath() {
        String m = error("{ \"zones\": { \"a.test.\": { \"primaries\": [\"ns1.example.com\"] } } }");
        assertTrue(m.startsWith("test.json:1:"), m);
        assertTrue(m.contains("zones.\"a.test.\".primaries[0]"), m);
        assertTrue(m.contains("not an IP address"), m);
        assertTrue(error("{ \"defaults\": { \"soa-timeout\": \"soon\" } }").contains("defaults.soa-timeout"));
        assertTrue(error("{ \"defaults\": { \"soa-tries\": 0 } }").contains("soa-tries"));
        assertTrue(error("{ \"listen\": [\"127.0.0.1@99999\"] }").contains("out of range"));
        assertTrue(error("{ \"zones\": { \"a..b\": {} } }").contains("not a domain name"));
        assertTrue(error("{ \"zones\": { \"a.test.\": { \"allow-notify\": [\"10.0.0.0/33\"] } } }").contains("out of range"));
    }

    @Test
    void hooksAreValidated() {
        String m = error("{ \"hooks\": [ { \"on\": [\"zone-updatd\"], \"command\": [\"x\"] } ] }");
        assertTrue(m.contains("hooks[0].on[0]"), m);
        assertTrue(m.contains("unknown condition 'zone-updatd'"), m);
        assertTrue(m.contains("zone-updated"), "lists known conditions: " + m);
        assertTrue(error("{ \"hooks\": [ { \"on\": [\"zone-updated\"], \"command\": [] } ] }").contains("hooks[0]"));
        assertTrue(error("{ \"hooks\": [ { \"on\": [\"zone-ready:later\"], \"command\": [\"x\"] } ] }")
                .contains("raised, cleared or any"));
    }

    @Test
    void edeCodesAreCheckedWhereverTheyMayBeGiven() throws Exception {
        DnsOopsConfig c = ConfigLoader.parse("{ \"hooks\": [ { \"on\": [\"ede\"], \"ede-codes\": [18, 22], \"command\": [\"x\"] } ],"
                + " \"webhook\": { \"urls\": [\"http://127.0.0.1:1/\"], \"ede-codes\": [18] },"
                + " \"mqtt\": { \"broker\": \"tcp://127.0.0.1:1883\", \"on\": [\"ede:any\"], \"ede-codes\": [22] } }", "test.json");
        assertEquals(List.of(18, 22), c.hooks.get(0).edeCodes);
        assertEquals(List.of(18), c.webhook.edeCodes);
        assertEquals(List.of(22), c.mqtt.edeCodes);
        assertEquals(List.of(), ConfigLoader.parse("{ \"hooks\": [ { \"on\": [\"ede\"], \"command\": [\"x\"] } ] }", "t")
                .hooks.get(0).edeCodes, "default: every code");
        assertTrue(error("{ \"hooks\": [ { \"on\": [\"ede\"], \"ede-codes\": [70000], \"command\": [\"x\"] } ] }")
                .contains("not an EDE code"));
        assertTrue(error("{ \"hooks\": [ { \"on\": [\"zone-ready\"], \"ede-codes\": [18], \"command\": [\"x\"] } ] }")
                .contains("does not include \"ede\""));
        assertTrue(error("{ \"hooks\": [ { \"on\": [\"ede\"], \"ede-codes\": [\"prohibited\"], \"command\": [\"x\"] } ] }")
                .contains("ede-codes"));
        assertTrue(error("{ \"hooks\": [ { \"on\": [\"ede\"], \"ede-code\": [18], \"command\": [\"x\"] } ] }")
                .contains("unknown key \"ede-code\""));
    }

    @Test
    void duplicateKeysWrongTypesAndBrokenJsonAreErrors() {
        assertTrue(error("{ \"zones\": { \"a.\": {}, \"a.\": {} } }").contains("zone \"a.\" is listed twice"));
        assertTrue(error("{ \"tcp-max-connections\": \"many\" }").contains("tcp-max-connections"));
        assertTrue(error("{ \"zones\": { \"a.\": { \"x\": {\"nested\": 1} } } }").contains("must be a string"));
        assertTrue(error("{ \"zones\": ").startsWith("test.json:1:"));
    }

    @Test
    void duplicateKeysAreFoundInsideZonesAndAfterThemThoughZoneNamesAreCheckedAsNames() {
        // the parser's own check is off for the zone names only (ZonesDeserializer checks them)
        assertTrue(error("{ \"zones\": { \"a.\": { \"jitter\": 0, \"jitter\": 1 } } }").contains("key \"jitter\" is given twice"));
        assertTrue(error("{ \"zones\": { \"a.\": {}, \"b.\": { \"jitter\": 0 }, \"c.\": { \"jitter\": 0, \"jitter\": 1 } } }")
                .contains("key \"jitter\" is given twice"));
        assertTrue(error("{ \"zones\": { \"a.\": { \"primaries\": [\"127.0.0.1@53\"] } },"
                + " \"http\": { \"listen\": [\"127.0.0.1@1\"], \"listen\": [\"127.0.0.1@2\"] } }").contains("key \"listen\" is given twice"));
        assertTrue(error("{ \"zones\": { \"a.\": {} }, \"zones\": {} }").contains("key \"zones\" is given twice"));
    }

    @Test
    void tsigKeysAreCheckedAndTheKeyFileMustBePrivate(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        String secret = "0ZtftnME+BVvqzZh6yUk83SAaGpS2LMXxJfiB3xDJ1U=";
        assertTrue(error("{ \"keys\": { \"k\": { \"algorithm\": \"hmac-md5\", \"secret\": \"" + secret + "\" } } }")
                .contains("hmac-md5 is refused"));
        assertTrue(error("{ \"keys\": { \"k\": { \"algorithm\": \"hmac-sha999\", \"secret\": \"x\" } } }")
                .contains("unknown TSIG algorithm"));
        assertTrue(error("{ \"zones\": { \"a.\": { \"notify-key\": \"nope\" } } }")
                .contains("zones.\"a.\".notify-key: no key named \"nope\""));

        Path keys = dir.resolve("keys.json");
        java.nio.file.Files.writeString(keys, "{ \"k\": { \"algorithm\": \"hmac-sha512\", \"secret\": \"" + secret + "\" } }");
        Path conf = dir.resolve("c.json");
        java.nio.file.Files.writeString(conf, "{ \"keys-file\": \"keys.json\", \"zones\": { \"a.\": { \"soa-key\": \"k\" } } }");
        java.nio.file.Files.setPosixFilePermissions(keys, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(conf));
        assertTrue(e.getMessage().contains("readable by group or others"), e.getMessage());
        java.nio.file.Files.setPosixFilePermissions(keys, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        DnsOopsConfig c = ConfigLoader.load(conf);
        assertTrue(c.zoneSettings().get(0).soaKey() != null, "soa-key resolved from the key file");
    }

    @Test
    void aMissingFileSaysSo() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(Path.of("no/such.json")));
        assertEquals("no/such.json: no such file", e.getMessage());
    }

    @Test
    void issue10EntriesNeedKnownKeysAndOneNameEach() {
        assertTrue(error("{ \"verify\": [ { \"zones\": [\"a.test.\"], \"key\": \"nope\" } ] }")
                .contains("verify[0].key: no key named \"nope\""));
        assertTrue(error("{ \"dnssec\": [ { \"address\": \"127.0.0.1@53\", \"zones\": [\"a.test.\"], \"key\": \"nope\" } ] }")
                .contains("dnssec[0].key: no key named \"nope\""));
        assertTrue(error("{ \"probe\": [ { \"name\": \"nsd\", \"address\": \"127.0.0.1@53\", \"zone\": \"a.test.\" },"
                + " { \"name\": \"nsd\", \"address\": \"127.0.0.1@54\", \"zone\": \"a.test.\" } ] }")
                .contains(": probe: nsd is configured twice"));
        assertTrue(error("{ \"probe\": [ { \"address\": \"127.0.0.1@53\", \"zone\": \"a.test.\", \"systemd-unit\": \"nsd\" } ] }")
                .contains("probe[0]"));
    }
}
