package net.dnsoops.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.dnsoops.testsupport.FreePorts;
import net.dnsoops.testsupport.ManagedProcess;

/**
 * 5b: the zones of {@code scale} in dns-oops as users run it: scripts/dns-oops, its own JVM with
 * the launcher's options (the JVM's default collector, G1, not the benchmark's; exit on
 * OutOfMemoryError), the heap capped at the issue's 512 MiB. {@code scale} measures a heap difference inside the benchmark's JVM; this
 * shows the bound holds for the real process: it comes up, verifies every zone, and reports the
 * heap in use after a full collection (jcmd), its resident size and its CPU at rest.
 */
final class ScaleProcess {
    private static final int HEAP_MIB = 512;
    private static final String HEAP = HEAP_MIB + "m";
    private static final Pattern HEAP_USED = Pattern.compile("total (\\d+)K, used (\\d+)K");
    private static final Pattern READY_ZONES = Pattern.compile("(?m)^dns_oops_zones\\{state=\"ready\"} ([0-9.eE+]+)$");

    private ScaleProcess() {
    }

    static void run(Bench b, int n) throws Exception {
        try (Primary server = b.primary(b.work().resolve("primary-scale-process"), n)) {
            server.start();
            int http = FreePorts.next();
            Path conf = b.config(server.primary(), n, " \"http\": { \"listen\": [\"127.0.0.1@" + http + "\"] },", false);
            // the launcher users run (scripts/dns-oops), with only the heap capped; built first, untimed
            Path launcher = Path.of("scripts/dns-oops").toAbsolutePath();
            Process build = new ProcessBuilder(launcher.toString(), "--version").inheritIO().start();
            if (build.waitFor() != 0) throw new IOException(launcher + " --version failed");
            ProcessBuilder pb = new ProcessBuilder(launcher.toString(), "run", "-c", conf.toString());
            pb.environment().put("DNS_OOPS_JAVA_OPTS", "-Xmx" + HEAP);
            Path log = b.work().resolve("scale-process.log");
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            long t0 = System.nanoTime();
            try (ManagedProcess p = ManagedProcess.start("dns-oops", pb, log)) {
                b.figure("scale_process.heap_max", HEAP_MIB, "MiB (-Xmx" + HEAP + ", the JVM's default collector)");
                // up: the HTTP port accepts connections (checked every 50 ms; a TCP connect costs
                // the daemon nothing, unlike a health request during the first round)
                if (!Bench.await(120, () -> !p.alive() || accepts(http))) {
                    fail(p, "its HTTP server did not listen within 120 s");
                    return;
                }
                if (!p.alive()) {
                    fail(p, "it exited");
                    return;
                }
                b.figure("scale_process.startup", (System.nanoTime() - t0) / 1e9, "s (process start to its HTTP port listening)");
                if (!poll(600, () -> !p.alive() || status(client, http, "/health/ready") == 200)) {
                    fail(p, "not every zone was verified within 600 s");
                    return;
                }
                if (!p.alive()) {
                    fail(p, "it exited before every zone was verified");
                    return;
                }
                b.figure("scale_process.first_round_done", (System.nanoTime() - t0) / 1e9, "s");
                b.figure("scale_process.zones_ready", readyZones(client, http), "zones");
                long[] heap = heapAfterFullGc(p.pid());
                b.figure("scale_process.heap_used", heap[1] / 1024.0, "MiB after a full GC (committed " + heap[0] / 1024 + " MiB)");
                b.figure("scale_process.bytes_per_zone", heap[1] * 1024.0 / n, "bytes (the whole heap in use / zones)");
                long cpu0 = CpuMeter.processCpuNanos(p.pid());
                long w0 = System.nanoTime();
                Thread.sleep(10_000);
                b.figure("scale_process.steady_cpu", 100.0 * (CpuMeter.processCpuNanos(p.pid()) - cpu0) / (System.nanoTime() - w0),
                        "% of one core");
                b.figure("scale_process.rss", CpuMeter.rssKb(p.pid()) / 1024.0, "MiB");
                b.figure("scale_process.alive", p.alive() ? 1 : 0, "(1: still running)");
            }
        }
    }

    /** Like a health probe: once a second, not Bench.await's 5 ms, which would be a load of its own. */
    static boolean poll(long seconds, java.util.function.BooleanSupplier done) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            if (done.getAsBoolean()) return true;
            Thread.sleep(1000);
        }
        return done.getAsBoolean();
    }

    private static void fail(ManagedProcess p, String why) {
        String log = p.logText();
        System.out.println("WARNING: dns-oops with " + HEAP + " of heap: " + why + "; its log ends with:\n"
                + log.substring(Math.max(0, log.length() - 3000)));
        p.kill();
    }

    private static boolean accepts(int port) {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int status(HttpClient client, int port, String path) {
        try {
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1; // not listening yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static double readyZones(HttpClient client, int port) throws IOException, InterruptedException {
        String metrics = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = READY_ZONES.matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    /** {committed, used} KiB of the process's heap after a full collection, from jcmd. */
    private static long[] heapAfterFullGc(long pid) throws IOException, InterruptedException {
        jcmd(pid, "GC.run");
        Matcher m = HEAP_USED.matcher(jcmd(pid, "GC.heap_info"));
        if (!m.find()) throw new IOException("jcmd GC.heap_info: no heap line");
        return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
    }

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("jcmd", Long.toString(pid), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException("jcmd " + command + ": " + out);
        return out;
    }
}
