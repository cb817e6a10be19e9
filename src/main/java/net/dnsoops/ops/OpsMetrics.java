package net.dnsoops.ops;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.dnsoops.core.CheckResult;
import net.dnsoops.core.Health;
import net.dnsoops.core.ZoneState;

/**
 * The Prometheus metrics. Counters the components already keep are exposed by callbacks (read
 * at scrape time, no double bookkeeping); only the verification latency histogram is recorded
 * here, fed by the SOA poller's observer. Components add their own through {@link OpsContributor}.
 */
public final class OpsMetrics {
    /** SOA verification latency buckets, seconds: loopback answers in ms, timeouts in seconds. */
    private static final double[] LATENCY_BUCKETS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Histogram latency = Histogram.builder()
            .name("dns_oops_soa_check_duration_seconds")
            .help("Time to verify a zone by SOA query (all tries and failover), by result")
            .labelNames("result")
            .classicOnly()
            .classicUpperBounds(LATENCY_BUCKETS)
            .register(registry);
    private volatile OpsSources sources;

    public OpsMetrics() {
        CounterWithCallback.builder().name("dns_oops_notify_responses")
                .help("NOTIFY messages answered, by transport and RCODE").labelNames("transport", "rcode")
                .callback(cb -> src().notifyAnswers().forEach((k, v) -> {
                    String[] tr = k.split(" ", 2);
                    cb.call(v, tr[0], tr.length > 1 ? tr[1] : "");
                })).register(registry);
        CounterWithCallback.builder().name("dns_oops_notify_rejected")
                .help("NOTIFYs rejected before admission, by reason (rate-limit: per-source limit; tsig: bad or unknown key)")
                .labelNames("reason")
                .callback(cb -> src().notifyRejected().forEach((k, v) -> cb.call(v, k))).register(registry);
        CounterWithCallback.builder().name("dns_oops_notify_dropped")
                .help("Messages dropped without an answer (not a DNS query, or a response)")
                .callback(cb -> cb.call(src().notifyDropped())).register(registry);
        CounterWithCallback.builder().name("dns_oops_soa_checks")
                .help("SOA checks (verifications) started").callback(cb -> cb.call(src().soaChecks())).register(registry);
        CounterWithCallback.builder().name("dns_oops_soa_check_failures")
                .help("SOA checks that failed on every primary").callback(cb -> cb.call(src().soaFailures()))
                .register(registry);
        CounterWithCallback.builder().name("dns_oops_soa_query_timeouts")
                .help("Single SOA queries over UDP that got no answer in time (retried within the check)")
                .callback(cb -> cb.call(src().soaQueryTimeouts())).register(registry);
        GaugeWithCallback.builder().name("dns_oops_zones").help("Zones by state").labelNames("state")
                .callback(cb -> zonesByState().forEach((s, n) -> cb.call(n, s.wireName())))
                .register(registry);
        GaugeWithCallback.builder().name("dns_oops_services_ready").help("Services (zone groups) whose zones are all ready, 1 or 0")
                .labelNames("service")
                .callback(cb -> src().services().orTimeout(2, TimeUnit.SECONDS).join()
                        .forEach(s -> cb.call(s.ready() ? 1 : 0, s.service())))
                .register(registry);
        CounterWithCallback.builder().name("dns_oops_hook_runs").help("Hook command runs (each try)")
                .callback(cb -> cb.call(src().hookRuns())).register(registry);
        CounterWithCallback.builder().name("dns_oops_hook_failures").help("Hook commands given up after all retries")
                .callback(cb -> cb.call(src().hookFailures())).register(registry);
        GaugeWithCallback.builder().name("dns_oops_queue_depth").help("Work waiting, by queue").labelNames("queue")
                .callback(cb -> src().queueDepths().forEach((q, n) -> cb.call(n, q))).register(registry);
        CounterWithCallback.builder().name("dns_oops_conditions").help("Conditions signalled, by condition and state")
                .labelNames("condition", "state")
                .callback(cb -> src().conditions().counts().forEach((k, v) -> {
                    String[] cs = k.split(" ", 2);
                    cb.call(v, cs[0], cs[1]);
                })).register(registry);
        GaugeWithCallback.builder().name("dns_oops_component_healthy")
                .help("1 when an input or actuator reports OK, 0.5 degraded, 0 failed").labelNames("kind", "component")
                .callback(cb -> src().components().forEach(c -> cb.call(
                        c.health().status() == Health.Status.OK ? 1 : c.health().status() == Health.Status.DEGRADED ? 0.5 : 0,
                        c.kind(), c.name())))
                .register(registry);
        GaugeWithCallback.builder().name("dns_oops_start_time_seconds").help("When the daemon started, Unix time")
                .callback(cb -> cb.call(src().startedAt().toEpochMilli() / 1000.0)).register(registry);
        registry.register(new Contributed());
    }

    /** Connects the metrics to a running daemon. */
    public void bind(OpsSources sources) {
        this.sources = sources;
    }

    /** The SOA poller's observer. */
    public void observeCheck(CheckResult r, long nanos) {
        latency.labelValues(r.success() ? "success" : "failure").observe(nanos / 1e9);
    }

    /** The Prometheus text exposition (format 0.0.4). */
    public byte[] scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        try {
            PrometheusTextFormatWriter.create().write(out, sources == null ? MetricSnapshots.of() : registry.scrape(),
                    EscapingScheme.UNDERSCORE_ESCAPING);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    public static String contentType() {
        return PrometheusTextFormatWriter.CONTENT_TYPE;
    }

    private OpsSources src() {
        return sources;
    }

    private Map<ZoneState, Integer> zonesByState() {
        return src().zoneStates().orTimeout(2, TimeUnit.SECONDS).join();
    }

    /** Samples from components implementing {@link OpsContributor} (e.g. routes announced, from BGP). */
    private final class Contributed implements MultiCollector {
        @Override
        public MetricSnapshots collect() {
            Map<String, CounterSnapshot.Builder> counters = new LinkedHashMap<>();
            Map<String, GaugeSnapshot.Builder> gauges = new LinkedHashMap<>();
            OpsContributor.Samples samples = new OpsContributor.Samples() {
                @Override
                public void gauge(String name, String help, double value, String... labels) {
                    gauges.computeIfAbsent(name, n -> GaugeSnapshot.builder().name(n).help(help))
                            .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(value)
                                    .labels(Labels.of(labels)).build());
                }

                @Override
                public void counter(String name, String help, double value, String... labels) {
                    counters.computeIfAbsent(name, n -> CounterSnapshot.builder().name(n).help(help))
                            .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().value(value)
                                    .labels(Labels.of(labels)).build());
                }
            };
            for (OpsSources.Component c : src().components()) {
                if (c.self() instanceof OpsContributor oc) oc.metrics(samples);
            }
            List<MetricSnapshot> out = new ArrayList<>();
            counters.values().forEach(b -> out.add(b.build()));
            gauges.values().forEach(b -> out.add(b.build()));
            return new MetricSnapshots(out);
        }
    }
}
