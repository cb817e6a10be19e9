package net.dnsoops.input.stats;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import net.dnsoops.core.CoreSink;
import net.dnsoops.core.Input;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Query-rate thresholds (issue 10): reads each server's query counter every interval from its
 * own statistics and reports the rate and its increase to the core, which raises
 * query-rate-high / query-rate-rising. A counter that goes down (server restart) starts over.
 */
public final class StatsInput implements Input {
    private static final Logger log = LoggerFactory.getLogger(StatsInput.class);

    private final List<StatsConfig> configs;
    private ScheduledExecutorService timer;
    private HttpClient http;

    public StatsInput(List<StatsConfig> configs) {
        this.configs = List.copyOf(configs);
    }

    @Override
    public String name() {
        return "stats";
    }

    @Override
    public void start(CoreSink core) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dns-oops-stats");
            t.setDaemon(true);
            return t;
        });
        for (StatsConfig c : configs) {
            Reader r = new Reader(c, core);
            timer.scheduleWithFixedDelay(r::run, 0, c.interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void close() {
        if (timer != null) timer.shutdownNow();
    }

    private final class Reader {
        final StatsConfig c;
        final CoreSink core;
        long lastCount = -1;
        long lastNanos;
        double lastRate = -1;

        Reader(StatsConfig c, CoreSink core) {
            this.c = c;
            this.core = core;
        }

        void run() {
            long count;
            long now = System.nanoTime();
            try {
                count = read();
            } catch (Exception e) {
                log.warn("stats of {}: {}", c.serverName(), e.toString());
                return; // a failed reading says nothing about the rate; the probe says whether the server is up
            }
            if (lastCount >= 0 && count >= lastCount && now > lastNanos) {
                double rate = (count - lastCount) / ((now - lastNanos) / 1e9);
                double increase = lastRate < 0 ? 0 : rate - lastRate;
                core.queryRate(c.serverName(), rate, increase, c.rateHigh, c.rateRising);
                lastRate = rate;
            } else {
                lastRate = -1;
            }
            lastCount = count;
            lastNanos = now;
        }

        long read() throws Exception {
            return switch (c.server) {
                case "nsd" -> QueryCounters.nsd(command(c.control == null ? List.of("nsd-control", "stats_noreset")
                        : List.of("nsd-control", "-c", c.control, "stats_noreset")));
                case "knot" -> QueryCounters.knot(command(c.control == null ? List.of("knotc", "stats")
                        : List.of("knotc", "-s", c.control, "stats")));
                default -> QueryCounters.bind(get(c.control.replaceAll("/+$", "") + "/json/v1/server"));
            };
        }

        String command(List<String> argv) throws Exception {
            java.nio.file.Path out = java.nio.file.Files.createTempFile("dns-oops-stats", ".txt");
            try {
                Process p = new ProcessBuilder(new ArrayList<>(argv)).redirectErrorStream(true)
                        .redirectOutput(out.toFile()).start();
                if (!p.waitFor(c.timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    throw new IOException(argv + " timed out");
                }
                String text = java.nio.file.Files.readString(out, StandardCharsets.UTF_8);
                if (p.exitValue() != 0) throw new IOException(argv + " exited " + p.exitValue() + ": " + text.strip());
                return text;
            } finally {
                java.nio.file.Files.deleteIfExists(out);
            }
        }

        String get(String url) throws Exception {
            synchronized (StatsInput.this) {
                if (http == null) http = HttpClient.newBuilder().connectTimeout(c.timeout).build();
            }
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(c.timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) throw new IOException(url + " answered HTTP " + r.statusCode());
            return r.body();
        }
    }
}
