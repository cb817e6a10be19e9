package net.dnsoops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The system test: runs {@code scripts/demo} (the README's "see it work") against the jar Maven
 * just built, bounded in time, and checks that it exited 0 and that every step of the story
 * printed PASS. The demo starts and stops every process itself, by PID.
 */
@Timeout(value = 200)
class DemoIT {
    /** Steps that must each appear on a PASS line (the story, in order). */
    static final List<String> STORY = List.of(
            "knot primary serves", "nsd primary serves", "bind primary serves",
            "BGP session edge -> upstream Established",
            "all 3 zones verified",
            "ExaBGP (supervised by dns-oops) session with the edge Established",
            "announced: present at the upstream BIRD",
            "the edge learnt 198.51.100.53/32 from ExaBGP too",
            "D-Bus: dns-oops owns cz.nic.knotd and net.dnsoops",
            "status page answers",
            "D-Bus: cz.nic.knotd.events.zone_updated ('bind.demo.test.', 2024010102)",
            "hook ran: zone-updated bind.demo.test. 2024010102",
            "'degraded' attributes",
            "nsd.demo.test. expired",
            "withdrawn at the upstream",
            "re-announced at the upstream",
            "drain: ok drained", "drained: withdrawn at the upstream", "still withdrawn 2 s later",
            "undrain: ok undrained", "undrained: announced again at the upstream",
            "dns-oops exited", "every route withdrawn and confirmed before exit",
            "everything withdrawn at the upstream",
            "supervised ExaBGP", "cz.nic.knotd.events.stopped",
            "every process gone");

    @TempDir
    Path tmp;

    @Test
    void demoWalksTheWholeStoryAndEveryStepPasses() throws Exception {
        Path out = tmp.resolve("demo.out");
        ProcessBuilder pb = new ProcessBuilder("scripts/demo").redirectErrorStream(true)
                .redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("DNS_OOPS_JAR", Path.of("target/dns-oops.jar").toAbsolutePath().toString());
        Process p = pb.start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroy(); // SIGTERM: the demo's trap stops what it started
            if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly();
            fail("scripts/demo did not finish within 180 s:\n" + read(out));
        }
        String text = read(out);
        System.err.println(text);
        List<String> lines = text.lines().collect(Collectors.toList());
        List<String> failed = lines.stream().filter(l -> l.matches("\\s*\\d+ ms  FAIL  .*")).toList();
        assertTrue(failed.isEmpty(), "failed steps:\n" + String.join("\n", failed) + "\n\n" + text);
        assertEquals(0, p.exitValue(), text);
        List<String> passed = lines.stream().filter(l -> l.matches("\\s*\\d+ ms  PASS  .*")).toList();
        int from = 0;
        for (String step : STORY) {
            int at = -1;
            for (int i = from; i < passed.size(); i++) {
                if (passed.get(i).contains(step)) {
                    at = i;
                    break;
                }
            }
            assertTrue(at >= 0, "no PASS for \"" + step + "\" (in story order):\n" + text);
            from = at + 1;
        }
        assertTrue(text.contains("demo: all " + passed.size() + " steps PASS"), text);
    }

    private static String read(Path p) throws IOException {
        return Files.exists(p) ? Files.readString(p) : "";
    }
}
