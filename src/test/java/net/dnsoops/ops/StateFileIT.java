package net.dnsoops.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.dnsoops.testsupport.DnsServer;
import net.dnsoops.testsupport.Eventually;
import net.dnsoops.testsupport.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged daemon killed with SIGKILL and started again, against a real NSD primary: an
 * unchanged zone is re-verified without a zone-updated, a change made while it was down is
 * reported with the old serial, and a zone that expired while it was down starts expired.
 */
class StateFileIT {
    @TempDir
    Path dir;
    Path records;
    Path config;

    Process startDaemon(int port) throws IOException {
        return new ProcessBuilder("java", "-jar", Paths.get("target/dns-oops.jar").toAbsolutePath().toString(), "run",
                "-c", config.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("daemon.log").toFile())).start();
    }

    List<String> lines() {
        try {
            return Files.readAllLines(records);
        } catch (IOException e) {
            return List.of();
        }
    }

    long count(String prefix) {
        return lines().stream().filter(l -> l.startsWith(prefix)).count();
    }

    String dump() {
        try {
            return String.join("\n", lines()) + "\n--- daemon log:\n" + Files.readString(dir.resolve("daemon.log"));
        } catch (IOException e) {
            return String.join("\n", lines());
        }
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }

    static void kill9(Process p) throws InterruptedException {
        p.destroyForcibly(); // SIGKILL
        p.waitFor(10, TimeUnit.SECONDS);
    }

    @Test
    void stateSurvivesSigkill() throws Exception {
        int port = FreePorts.next();
        // EXPIRE 8 s so that the last phase can let the zone expire while dns-oops is down.
        DnsServer nsd = new DnsServer(DnsServer.Kind.NSD, dir, port, new DnsServer.Timers(3600, 1, 8), "nsd.test.");
        records = dir.resolve("records.txt");
        config = dir.resolve("dns-oops.json");
        Files.writeString(config, "{ \"listen\": [\"127.0.0.1@" + port + "\"], \"state-file\": \"state/zones.json\","
                + " \"state-save-interval\": \"200ms\","
                + " \"defaults\": { \"min-expire\": \"1s\", \"min-retry\": \"1s\", \"soa-timeout\": \"300ms\", \"soa-tries\": 1 },"
                + " \"zones\": { \"nsd.test.\": { \"primaries\": [\"" + nsd.primary() + "\"] } },"
                + " \"hooks\": [ { \"on\": [\"zone-ready\", \"zone-updated\", \"zone-expired\"], \"retries\": 0,"
                + " \"command\": [\"" + Paths.get("test-zones/hooks/record").toAbsolutePath() + "\", \"" + records
                + "\", \"{condition}\", \"{zone}\", \"{serial}\", \"{old-serial}\"] } ] }");
        Path state = dir.resolve("state/zones.json");
        nsd.start();
        Process d = startDaemon(port);
        try {
            Eventually.await(Duration.ofSeconds(30), "first zone-ready", () -> count("zone-ready") == 1, this::dump);
            Eventually.await(Duration.ofSeconds(5), "state saved", () -> read(state).contains("2024010101"));
            kill9(d);

            d = startDaemon(port);
            Eventually.await(Duration.ofSeconds(30), "re-verified after SIGKILL", () -> count("zone-ready") == 2, this::dump);
            assertEquals(0, count("zone-updated"), "an unchanged zone is not reported as updated:\n" + dump());
            kill9(d);

            nsd.setSerial("nsd.test.", 2024010102L); // its NOTIFY finds nobody listening
            d = startDaemon(port);
            Eventually.await(Duration.ofSeconds(30), "change made while down", () -> count("zone-updated") == 1, this::dump);
            assertTrue(lines().contains("zone-updated nsd.test. 2024010102 2024010101"), dump());
            Eventually.await(Duration.ofSeconds(5), "new serial saved",
                    () -> read(state).contains("2024010102"));
            kill9(d);

            nsd.stop();
            Thread.sleep(9000); // EXPIRE (8 s) passes while dns-oops is down
            d = startDaemon(port);
            Eventually.await(Duration.ofSeconds(30), "expired at start", () -> count("zone-expired") == 1, this::dump);
            assertEquals(3, count("zone-ready"), "an expired zone is not ready:\n" + dump());
            d.destroy();
            assertTrue(d.waitFor(15, TimeUnit.SECONDS));
        } finally {
            d.destroyForcibly();
            nsd.close();
        }
    }
}
