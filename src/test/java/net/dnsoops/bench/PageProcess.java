package net.dnsoops.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.dnsoops.testsupport.FreePorts;
import net.dnsoops.testsupport.ManagedProcess;

/**
 * The status page at the sizes users run: dns-oops from scripts/dns-oops (its own JVM, heap
 * capped at 512 MiB) with N zones that have no primary, so every zone is not ready (the page's
 * worst case) and no SOA traffic muddles the CPU figures; then Debian's headless Chromium opens
 * the page (src/test/web/status-page-scale.mjs): load, refresh, next page and search times, bytes
 * per refresh, and the daemon's CPU over 30 s with the page open against 30 s without it.
 */
final class PageProcess {
    private static final int HOLD_SECONDS = 30;

    private PageProcess() {
    }

    static void run(Bench b, int n) throws Exception {
        String tag = "page." + (n >= 1_000_000 && n % 1_000_000 == 0 ? n / 1_000_000 + "m" : n % 1000 == 0 ? n / 1000 + "k" : n);
        int http = FreePorts.next();
        Path conf = b.work().resolve("dns-oops-page-" + n + ".json");
        StringBuilder json = new StringBuilder("{ \"listen\": [\"127.0.0.1@").append(FreePorts.next())
                .append("\"], \"defaults\": { \"primaries\": [] }, \"http\": { \"listen\": [\"127.0.0.1@").append(http)
                .append("\"] }, \"zones\": {");
        for (int i = 0; i < n; i++) json.append(i == 0 ? "" : ",").append("\"z").append(i).append(".bench.\":{}");
        Files.writeString(conf, json.append("} }"));
        Path launcher = Path.of("scripts/dns-oops").toAbsolutePath();
        ProcessBuilder pb = new ProcessBuilder(launcher.toString(), "run", "-c", conf.toString());
        pb.environment().put("DNS_OOPS_JAVA_OPTS", "-Xmx512m");
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try (ManagedProcess p = ManagedProcess.start("dns-oops", pb, b.work().resolve(tag + ".log"))) {
            if (!ScaleProcess.poll(300, () -> !p.alive() || summaryAnswers(client, http))) {
                System.out.println("WARNING: " + tag + ": /status did not answer within 300 s; log:\n" + p.logText());
                return;
            }
            b.figure(tag + ".daemon_cpu_idle", cpuPercent(p.pid(), HOLD_SECONDS), "% of one core over " + HOLD_SECONDS
                    + " s, no page open");
            Path web = Path.of("src/test/web").toAbsolutePath();
            Process node = new ProcessBuilder(List.of("node", web.resolve("status-page-scale.mjs").toString(),
                    "http://127.0.0.1:" + http + "/", b.work().toString(), "z" + (n / 2 + 7) + ".bench.",
                    "--hold", Integer.toString(HOLD_SECONDS))).redirectErrorStream(true).start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
                long cpu0 = 0;
                long wall0 = 0;
                for (String line; (line = out.readLine()) != null; ) {
                    System.out.println("  " + line);
                    if (line.equals("HOLD")) {
                        cpu0 = CpuMeter.processCpuNanos(p.pid());
                        wall0 = System.nanoTime();
                    } else if (line.equals("HELD") && wall0 != 0) {
                        b.figure(tag + ".daemon_cpu_page_open", 100.0 * (CpuMeter.processCpuNanos(p.pid()) - cpu0)
                                / (System.nanoTime() - wall0), "% of one core over " + HOLD_SECONDS + " s, the page open");
                    } else if (line.startsWith("PAGE ")) {
                        String[] f = line.split(" ", 4);
                        b.figure(tag + "." + f[1], Double.parseDouble(f[2]), f.length > 3 ? f[3] : "");
                    }
                }
            } finally {
                if (!node.waitFor(30, TimeUnit.SECONDS)) node.destroyForcibly();
            }
            if (node.exitValue() != 0) System.out.println("WARNING: " + tag + ": the page check failed (lines above)");
            b.figure(tag + ".status_full_list", timeFullList(client, http), "ms for GET /status?limit=10000 (the most one answer lists)");
        }
    }

    private static double cpuPercent(long pid, int seconds) throws InterruptedException {
        long cpu0 = CpuMeter.processCpuNanos(pid);
        long w0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        return 100.0 * (CpuMeter.processCpuNanos(pid) - cpu0) / (System.nanoTime() - w0);
    }

    private static boolean summaryAnswers(HttpClient client, int port) {
        try {
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/status?limit=0"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static double timeFullList(HttpClient client, int port) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/status?limit=10000"))
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.discarding());
        return (System.nanoTime() - t0) / 1e6;
    }
}
