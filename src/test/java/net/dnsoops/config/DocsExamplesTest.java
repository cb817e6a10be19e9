package net.dnsoops.config;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
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
