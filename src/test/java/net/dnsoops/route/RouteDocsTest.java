package net.dnsoops.route;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.dnsoops.config.ConfigLoader;
import net.dnsoops.config.DnsOopsConfig;
import org.junit.jupiter.api.Test;

/** Every complete JSON config in the routing docs loads, so the examples stay true to the code. */
class RouteDocsTest {
    static final Pattern JSON_BLOCK = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL);

    @Test
    void completeExampleConfigsLoad() throws Exception {
        int complete = 0;
        for (String page : List.of("routing.md", "bird.md", "exabgp.md", "command.md")) {
            String text = Files.readString(Path.of("docs", page));
            Matcher m = JSON_BLOCK.matcher(text);
            List<String> fragments = new ArrayList<>();
            while (m.find()) {
                String json = m.group(1).trim();
                String doc = json.startsWith("{") ? json : "{" + json + "}";
                if (!json.startsWith("{")) {
                    fragments.add(doc); // a section: checked below inside a minimal config
                    continue;
                }
                DnsOopsConfig c = ConfigLoader.parse(doc, page);
                assertFalse(c.serviceSettings().isEmpty(), page + ": example without a service");
                complete++;
            }
            for (String f : fragments) {
                String base = "\"zones\": { \"example.com.\": { \"group\": \"anycast\", \"last-octet\": 4 },"
                        + " \"example.net.\": { \"group\": \"anycast\", \"last-octet\": 5 } }";
                String doc = f.contains("\"zones\"") ? f : f.substring(0, f.length() - 1) + ", " + base
                        + (f.contains("\"services\"") ? "" : ", \"services\": { \"s\": { \"group\": \"anycast\", \"prefixes\": [\"192.0.2.1/32\"] } }")
                        + "}";
                ConfigLoader.parse(doc, page + " (fragment)");
            }
        }
        assertTrue(complete >= 3, "expected complete example configs, found " + complete);
    }
}
