package net.dnsoops.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.dnsoops.testsupport.DnsServer;
import net.dnsoops.testsupport.Eventually;
import net.dnsoops.testsupport.FreePorts;
import net.dnsoops.testsupport.RunningDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page in Debian's headless Chromium (driven by playwright-core from src/test/web):
 * a real daemon with a ready zone behind a real NSD primary and a zone whose primary is down;
 * the page must show both with their states and serial, on a desktop and a phone viewport.
 * With 100,000 zones the page must still show the not-ready ones first, find a zone by search,
 * give times in UTC, and fetch a bounded answer per refresh.
 * Screenshots land in target/status-page/.
 */
class StatusPageIT {
    static final Path WEB = Paths.get("src/test/web").toAbsolutePath();

    @TempDir
    Path dir;

    /** A page of 50 zones is about 18 kB; every zone of 100,000 would be about 35 MB. */
    static final int MAX_REFRESH_BYTES = 64 * 1024;

    @Test
    void withAHundredThousandZonesThePageShowsNotReadyFirstFindsByNameAndFetchesABoundedAnswer() throws Exception {
        assertTrue(Files.isExecutable(Paths.get("/usr/bin/chromium")), "needs Debian's chromium (apt-get install chromium)");
        assertTrue(Files.isDirectory(WEB.resolve("node_modules/playwright-core")),
                "needs playwright-core: npm ci --prefix src/test/web (scripts/install-test-deps does it)");
        int port = RunningDaemon.choosePort();
        int httpPort = FreePorts.next();
        Path out = Files.createDirectories(Paths.get("target/status-page").toAbsolutePath());
        try (DnsServer nsd = DnsServer.start(DnsServer.Kind.NSD, dir, port, "nsd.test.")) {
            // one zone ready behind NSD; 99,999 without a primary: failing, the page's worst case
            StringBuilder zones = new StringBuilder("\"nsd.test.\": { \"primaries\": [\"" + nsd.primary() + "\"] }");
            for (int i = 1; i < 100_000; i++) zones.append(", \"z").append(i).append(".bench.\": {}");
            String body = "\"defaults\": { \"primaries\": [] }, \"zones\": {" + zones + "},"
                    + "\"http\": { \"listen\": [\"127.0.0.1@" + httpPort + "\"] }";
            try (RunningDaemon d = RunningDaemon.start(dir.resolve("dns-oops"), port, body)) {
                Eventually.await(Duration.ofSeconds(60), "nsd.test. ready", () -> d.count("zone-ready:raised") == 1, d::dump);
                String log = browser(List.of("node", WEB.resolve("status-page-scale.mjs").toString(),
                        "http://127.0.0.1:" + httpPort + "/", out.toString(), "nsd.test.",
                        "--max-refresh-bytes", Integer.toString(MAX_REFRESH_BYTES)), 300);
                assertTrue(log.contains("ok   not-ready zones first"), log);
                assertTrue(log.contains("ok   search \"nsd.test.\" finds it"), log);
                assertTrue(log.contains("ok   zone times are in UTC: [\""), "the ready zone's times are shown, in UTC: " + log);
                assertTrue(log.contains("ok   one refresh transfers at most " + MAX_REFRESH_BYTES), log);
            }
        }
    }

    /** Runs a browser script; returns its output, failing the test if it failed or took longer than {@code seconds}. */
    private String browser(List<String> argv, int seconds) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(dir.resolve("node.log").toFile()).start();
        try {
            assertTrue(p.waitFor(seconds, TimeUnit.SECONDS), "the browser test did not finish in " + seconds + " s");
        } finally {
            if (p.isAlive()) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        String log = Files.readString(dir.resolve("node.log"));
        System.out.println(log);
        assertEquals(0, p.exitValue(), log);
        return log;
    }

    @Test
    void thePageShowsZonesAndTheirStatesOnDesktopAndPhone() throws Exception {
        assertTrue(Files.isExecutable(Paths.get("/usr/bin/chromium")), "needs Debian's chromium (apt-get install chromium)");
        assertTrue(Files.isDirectory(WEB.resolve("node_modules/playwright-core")),
                "needs playwright-core: npm ci --prefix src/test/web (scripts/install-test-deps does it)");
        int port = RunningDaemon.choosePort();
        int httpPort = FreePorts.next();
        Path out = Files.createDirectories(Paths.get("target/status-page").toAbsolutePath());
        try (DnsServer nsd = DnsServer.start(DnsServer.Kind.NSD, dir, port, "nsd.test.")) {
            String body = "\"zones\": { \"nsd.test.\": { \"primaries\": [\"" + nsd.primary() + "\"], \"region\": \"eu\" },"
                    + " \"down.test.\": { \"primaries\": [\"127.0.0.1@" + FreePorts.next() + "\"], \"soa-timeout\": \"200ms\","
                    + " \"soa-tries\": 1, \"group\": \"backup\" } },"
                    + "\"http\": { \"listen\": [\"127.0.0.1@" + httpPort + "\"] }";
            try (RunningDaemon d = RunningDaemon.start(dir.resolve("dns-oops"), port, body)) {
                Eventually.await(Duration.ofSeconds(15), "nsd.test. ready", () -> d.count("zone-ready:raised") == 1, d::dump);
                nsd.setSerial("nsd.test.", 2024010105L);
                Eventually.await(Duration.ofSeconds(15), "zone-updated", () -> d.count("zone-updated:raised") == 1, d::dump);
                browser(List.of("node", WEB.resolve("status-page.mjs").toString(),
                        "http://127.0.0.1:" + httpPort + "/", out.toString(),
                        "nsd.test.=ready@2024010105", "down.test.=failing"), 90);
                assertTrue(Files.size(out.resolve("status-desktop.png")) > 10_000, "desktop screenshot written");
                assertTrue(Files.size(out.resolve("status-phone.png")) > 10_000, "phone screenshot written");
            }
        }
    }
}
