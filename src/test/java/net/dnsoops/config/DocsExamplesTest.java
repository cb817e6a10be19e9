package net.dnsoops.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import net.dnsoops.actuator.hook.CommandTemplate;
import net.dnsoops.actuator.hook.EdeCodeFilter;
import net.dnsoops.core.Condition;
import net.dnsoops.core.ConditionType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The first JSON block of each component page is its example config: it must load as it is. */
class DocsExamplesTest {
    @ParameterizedTest
    @ValueSource(strings = {"docs/webhook.md", "docs/mqtt.md", "docs/relay.md", "docs/capture.md"})
    void exampleConfigLoads(String page) throws Exception {
        String text = Files.readString(Path.of(page));
        int start = text.indexOf("```json\n");
        assertTrue(start >= 0, page + " has a json example");
        int end = text.indexOf("```", start + 8);
        DnsOopsConfig c = ConfigLoader.parse(text.substring(start + 8, end), page);
        assertTrue(c.webhook.enabled() || c.mqtt.enabled() || c.relay.enabled()
                || c.zoneSettings().stream().anyMatch(z -> "true".equals(z.fields().get("generate-pcap"))), page);
    }

    /** The hook page's EDE example loads, filters as it says and runs the command it shows. */
    @Test
    void theHookPagesEdeExampleDoesWhatItSays() throws Exception {
        String text = Files.readString(Path.of("docs/hook.md"));
        int at = text.indexOf("\"ede-codes\"");
        int start = text.lastIndexOf("```json\n", at);
        int end = text.indexOf("```", start + 8);
        DnsOopsConfig c = ConfigLoader.parse(text.substring(start + 8, end), "docs/hook.md");
        var hook = c.hooks.get(0);
        Condition notReady = new Condition(ConditionType.EDE, true, Instant.EPOCH, "example.com.", null, -1, -1,
                "127.0.0.1@53", Map.of("code", "14", "code-name", "Not Ready", "text", "Zone is configured but not loaded"), "");
        Condition notAuth = new Condition(ConditionType.EDE, true, Instant.EPOCH, "example.com.", null, -1, -1,
                "192.0.2.1@53", Map.of("code", "20", "code-name", "Not Authoritative", "text", ""), "");
        assertTrue(EdeCodeFilter.admits(hook.edeCodes, notReady) && hook.on.stream().anyMatch(t -> t.matches(notReady)));
        assertFalse(EdeCodeFilter.admits(hook.edeCodes, notAuth));
        List<String> argv = CommandTemplate.expand(hook.argvTemplate(), CommandTemplate.variables(notReady));
        String shown = "/usr/local/bin/page \"" + argv.get(1) + "\"";
        assertTrue(text.contains(shown), "the page shows the command as run: " + shown);
    }

    @Test
    void theZonesPagesExampleLoadsWithBothServers() throws Exception {
        String text = Files.readString(Path.of("docs/zones.md"));
        int start = text.indexOf("```json\n");
        int end = text.indexOf("```", start + 8);
        DnsOopsConfig c = ConfigLoader.parse(text.substring(start + 8, end), "docs/zones.md");
        assertTrue(c.serverZones.size() == 2 && c.serverZones.get(0).server.equals("nsd")
                && c.serverZones.get(1).server.equals("knot"), "nsd and knot");
    }

    @org.junit.jupiter.api.Test
    void everyProbeExampleLoadsAndTheSystemdOneNamesItsUnit() throws Exception {
        String text = Files.readString(Path.of("docs/probe.md"));
        int units = 0;
        for (int start = text.indexOf("```json\n"); start >= 0; start = text.indexOf("```json\n", start + 1)) {
            int end = text.indexOf("```", start + 8);
            DnsOopsConfig c = ConfigLoader.parse(text.substring(start + 8, end), "docs/probe.md");
            assertTrue(!c.probe.isEmpty(), "each probe example configures a probe");
            units += (int) c.probe.stream().filter(p -> "nsd.service".equals(p.systemdUnit)).count();
        }
        assertTrue(units == 1, "the systemd-unit example");
    }
}
