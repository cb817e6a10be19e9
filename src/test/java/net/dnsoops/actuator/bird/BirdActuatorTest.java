package net.dnsoops.actuator.bird;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.dnsoops.route.Route;
import net.dnsoops.route.RouteAttributes;
import net.dnsoops.testsupport.DocsQueryRateExample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The BIRD actuator's pure parts: reply parsing (from a recorded exchange) and the include file. */
class BirdActuatorTest {
    static BirdReply feed(String... lines) {
        BirdReply.Collector c = new BirdReply.Collector();
        BirdReply r = null;
        for (String l : lines) {
            assertNull(r, "reply ended early");
            r = c.add(l);
        }
        return r;
    }

    @Test
    void parsesShowRouteWithContinuationLines() {
        BirdReply r = feed("1007-Table master4:", " 198.51.100.5/32      blackhole [dns_oops4 20:53:50.752] * (200)",
                " 198.51.100.4/32      blackhole [dns_oops4 20:53:50.752] * (200)",
                "                      unreachable [other 20:53:50.752] (100)", "0000 ");
        assertEquals(0, r.code());
        assertTrue(r.ok());
        assertEquals(List.of("198.51.100.5/32", "198.51.100.4/32"), r.routePrefixes());
    }

    @Test
    void errorsAndAsyncLines() {
        BirdReply.Collector c = new BirdReply.Collector();
        assertNull(c.add("+spontaneous message"));
        BirdReply r = c.add("8001 Network not found");
        assertEquals(8001, r.code());
        assertFalse(r.ok());
        assertEquals("Network not found", r.text());
        BirdReply conf = feed("0002-Reading configuration from /etc/bird/bird.conf", "0003 Reconfigured");
        assertEquals(3, conf.code());
        BirdReply bad = feed("0002-Reading configuration from x", "8002 x:3:1 syntax error");
        assertFalse(bad.ok());
        assertEquals(9001, feed("9001 syntax error, unexpected CF_SYM_UNDEFINED").code());
    }

    @Test
    void theQueryRateExampleInTheDocsRendersAsTheDocsSay() throws Exception {
        String page = Files.readString(Path.of("docs/bird.md"));
        String section = page.substring(page.indexOf("## Example: less attractive while"));
        Route busy = DocsQueryRateExample.of(section).busyRoute();
        String line = BirdRouteFile.render(List.of(busy), "blackhole").lines().skip(1).findFirst().orElseThrow();
        assertTrue(section.contains(line), line);
    }


    /**
     * The bird.conf of the first example, as real BIRD reads it (bird -p parses and exits), with
     * the IPv6 channel of the IPv4 session giving a next hop of its own.
     */
    @Test
    void theExampleBirdConfParsesAndItsIpv6ChannelHasANextHop(@TempDir Path dir) throws Exception {
        Path bird = Path.of("/usr/sbin/bird");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(bird), "BIRD 2 not installed");
        String page = Files.readString(Path.of("docs/bird.md"));
        int start = page.indexOf("`/etc/bird/bird.conf`");
        int open = page.indexOf("```\n", start) + 4;
        String conf = page.substring(open, page.indexOf("```", open));
        String ipv6Channel = conf.lines().filter(l -> l.trim().startsWith("ipv6 {")).findFirst().orElseThrow();
        assertTrue(ipv6Channel.contains("next hop address"), ipv6Channel);
        Files.writeString(dir.resolve("r4.conf"), "");
        Files.writeString(dir.resolve("r6.conf"), "");
        Path file = dir.resolve("bird.conf");
        Files.writeString(file, conf.replace("/var/lib/dns-oops/bird-routes4.conf", dir.resolve("r4.conf").toString())
                .replace("/var/lib/dns-oops/bird-routes6.conf", dir.resolve("r6.conf").toString()));
        Process p = new ProcessBuilder(bird.toString(), "-p", "-c", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
    }

    @Test
    void rendersRouteLinesWithStateAttributes(@TempDir Path dir) throws Exception {
        RouteAttributes a = new RouteAttributes();
        a.med = 1000L;
        a.communities = List.of("65000:666");
        a.asPathPrepend = List.of(65001L, 65002L);
        String text = BirdRouteFile.render(List.of(new Route("192.0.2.53/32", "dns", a),
                new Route("192.0.2.54/32", "dns", RouteAttributes.none())), "blackhole");
        assertTrue(text.contains("route 192.0.2.53/32 blackhole { bgp_med = 1000; bgp_community.add((65000,666));"
                + " bgp_path.prepend(65002); bgp_path.prepend(65001); };"), text);
        assertTrue(text.contains("route 192.0.2.54/32 blackhole;"), text);

        Path f = dir.resolve("sub/routes4.conf");
        assertTrue(BirdRouteFile.write(f, text));
        assertFalse(BirdRouteFile.write(f, text), "unchanged content is not rewritten");
        assertEquals(text, Files.readString(f));
        try (var s = Files.list(f.getParent())) {
            assertEquals(1, s.count(), "no temporary file left behind");
        }
    }
}
