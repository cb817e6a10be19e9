package net.dnsoops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/lab up}, {@code scenario}, {@code down} under a lab name of its own (so parallel
 * builds do not meet): every step PASS, and afterwards none of its namespaces or files is left.
 * Needs root and network namespaces; skipped otherwise.
 */
@Timeout(value = 400) // per test
class LabIT {
    @TempDir
    Path tmp;

    @Test
    void threeSitesAnswerInTurnAndDownLeavesNothing() throws Exception {
        runLab(false, "answered by site1-knot", "site1 drained: client now answered by site2-nsd",
                "site1 degraded: client now answered by site2-nsd", "AS path prepended",
                "site1's zone expired at its dns-oops: route withdrawn",
                "site1+site2 drained: client now answered by site3-bind", "lab scenario: all steps PASS");
    }

    @Test
    void ecmpSpreadsOverAnnouncingSitesOnly() throws Exception {
        runLab(true, "upstream installs an ECMP route over the 3 sites", "none to the drained site",
                "none to the site whose server is down", "Knot back: 3 next hops again",
                "lab scenario (ECMP): all steps PASS");
    }

    private void runLab(boolean ecmp, String... steps) throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root (ip netns)");
        String name = "olab" + ThreadLocalRandom.current().nextInt(10_000, 100_000);
        // a namespace of our own can be made here (not in an unprivileged container, not without iproute2)
        boolean netns;
        try {
            netns = run(tmp.resolve("probe.out"), 20, null, false, "ip", "netns", "add", name + "-probe") == 0;
        } catch (IOException e) {
            netns = false;
        }
        if (netns) run(tmp.resolve("probe.out"), 20, null, false, "ip", "netns", "del", name + "-probe");
        assumeTrue(netns, "cannot create a network namespace here");
        Path up = tmp.resolve("up.out");
        Path scenario = tmp.resolve("scenario.out");
        try {
            int rc = run(up, 150, name, ecmp, "scripts/lab", "up");
            String upText = Files.readString(up);
            System.err.println(upText);
            assertEquals(0, rc, upText);
            rc = run(scenario, 150, name, ecmp, "scripts/lab", "scenario");
            String text = Files.readString(scenario);
            System.err.println(text);
            assertFalse(text.contains(" FAIL "), text);
            assertEquals(0, rc, text);
            for (String step : steps) assertTrue(text.contains(step), "missing \"" + step + "\":\n" + text);
        } finally {
            int rc = run(tmp.resolve("down.out"), 120, name, ecmp, "scripts/lab", "down");
            assertEquals(0, rc, Files.readString(tmp.resolve("down.out")));
        }
        Path list = tmp.resolve("netns.out");
        run(list, 20, null, false, "ip", "netns", "list");
        assertFalse(Files.readString(list).contains(name + "-"), "namespaces left: " + Files.readString(list));
        assertFalse(Files.exists(Path.of("/tmp/dns-oops-" + name)), "lab directory left");
    }

    /** Runs a command; with a lab name, as that lab (LAB_NAME, LAB_ECMP) on the jar Maven built. */
    private static int run(Path out, int seconds, String lab, boolean ecmp, String... argv)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(argv);
        if (lab != null) {
            pb.environment().put("LAB_NAME", lab);
            pb.environment().put("LAB_ECMP", ecmp ? "1" : "0");
            pb.environment().put("DNS_OOPS_JAR", Path.of("target/dns-oops.jar").toAbsolutePath().toString());
        }
        Process p = pb.redirectErrorStream(true).redirectOutput(out.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }
}
