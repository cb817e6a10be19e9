package net.dnsoops.input.stats;

import java.net.http.HttpClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import net.dnsoops.config.ConfigDiff;
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

    private List<StatsConfig> configs;
    /** Server name → its reader; guarded by {@code this}. */
    private final Map<String, Reader> readers = new LinkedHashMap<>();
    private ScheduledExecutorService timer;
    private HttpClient http;
    private CoreSink core;

    public StatsInput(List<StatsConfig> configs) {
        this.configs = List.copyOf(configs);
    }

    @Override
    public String name() {
        return "stats";
    }

    @Override
    public synchronized void start(CoreSink core) {
        this.core = core;
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dns-oops-stats");
            t.setDaemon(true);
            return t;
        });
        for (StatsConfig c : configs) add(c);
    }

    /**
     * Applies a reloaded "stats" list. A server that stays keeps its last reading (so the next
     * rate needs no extra interval) unless where it is read from changed; new thresholds apply
     * from the next reading. A removed server's reader stops and the core clears its
     * query-rate conditions. Returns false once the list is empty.
     */
    public synchronized boolean reconfigure(List<StatsConfig> next) {
        ConfigDiff<StatsConfig> diff = ConfigDiff.of(configs, next, StatsConfig::serverName);
        for (StatsConfig gone : diff.removed()) {
            readers.remove(gone.serverName()).retire();
            core.statsRemoved(gone.serverName());
            log.info("stats of {} removed", gone.serverName());
        }
        for (ConfigDiff.Changed<StatsConfig> ch : diff.changed()) {
            boolean sameSource = ch.before().server.equals(ch.after().server)
                    && java.util.Objects.equals(ch.before().control, ch.after().control);
            if (sameSource) {
                Reader r = readers.get(ch.after().serverName());
                r.reconfigure(ch.after());
                if (!ch.before().interval.equals(ch.after().interval)) {
                    r.schedule.cancel(false);
                    r.schedule = timer.scheduleWithFixedDelay(r::run, 0, ch.after().interval.toMillis(), TimeUnit.MILLISECONDS);
                }
            } else {
                // Another counter: the last reading is no base for the next rate.
                readers.remove(ch.after().serverName()).retire();
                add(ch.after());
            }
            log.info("stats of {} changed", ch.after().serverName());
        }
        for (StatsConfig c : diff.added()) {
            add(c);
            log.info("stats of {} added", c.serverName());
        }
        configs = List.copyOf(next);
        return !configs.isEmpty();
    }

    /** The running reader of a server, or null (for tests). */
    synchronized Reader reader(String serverName) {
        return readers.get(serverName);
    }

    private void add(StatsConfig c) {
        Reader r = new Reader(c, core);
        r.schedule = timer.scheduleWithFixedDelay(r::run, 0, c.interval.toMillis(), TimeUnit.MILLISECONDS);
        readers.put(c.serverName(), r);
    }

    @Override
    public synchronized void close() {
        if (timer != null) timer.shutdownNow();
    }

    /** One server's readings; run by the timer, one at a time; settings replaced by a reload under its lock. */
    final class Reader {
        private StatsConfig c;
        final CoreSink core;
        ScheduledFuture<?> schedule;
        private boolean retired;
        long lastCount = -1;
        long lastNanos;
        double lastRate = -1;

        Reader(StatsConfig c, CoreSink core) {
            this.c = c;
            this.core = core;
        }

        synchronized void reconfigure(StatsConfig next) {
            c = next;
        }

        synchronized StatsConfig config() {
            return c;
        }

        /** Stops the readings; one in flight reports nothing. */
        synchronized void retire() {
            retired = true;
            schedule.cancel(false);
        }

        void run() {
            StatsConfig c;
            synchronized (this) {
                if (retired) return;
                c = this.c;
            }
            long count;
            long now = System.nanoTime();
            try {
                count = read(c);
            } catch (Exception e) {
                log.warn("stats of {}: {}", c.serverName(), e.toString());
                return; // a failed reading says nothing about the rate; the probe says whether the server is up
            }
            synchronized (this) {
                if (!retired) rate(count, now);
            }
        }

        private void rate(long count, long now) {
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

        long read(StatsConfig c) throws Exception {
            return switch (c.server) {
                case "nsd" -> QueryCounters.nsd(command(c, c.control == null ? List.of("nsd-control", "stats_noreset")
                        : List.of("nsd-control", "-c", c.control, "stats_noreset")));
                case "knot" -> QueryCounters.knot(command(c, c.control == null ? List.of("knotc", "stats")
                        : List.of("knotc", "-s", c.control, "stats")));
                default -> QueryCounters.bind(get(c, c.control.replaceAll("/+$", "") + "/json/v1/server"));
            };
        }

        String command(StatsConfig c, List<String> argv) throws Exception {
            return net.dnsoops.input.ControlCommand.run(argv, c.timeout);
        }

        String get(StatsConfig c, String url) throws Exception {
            synchronized (StatsInput.this) {
                if (http == null) http = HttpClient.newBuilder().connectTimeout(c.timeout).build();
            }
            return net.dnsoops.input.ControlCommand.httpGet(http, url, c.timeout);
        }
    }
}
