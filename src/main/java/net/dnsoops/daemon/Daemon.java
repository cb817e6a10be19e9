package net.dnsoops.daemon;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.Random;
import net.dnsoops.actuator.hook.HookActuator;
import net.dnsoops.capture.Capture;
import net.dnsoops.config.ConfigException;
import net.dnsoops.config.ConfigLoader;
import net.dnsoops.config.DnsOopsConfig;
import net.dnsoops.core.Actuator;
import net.dnsoops.core.ConditionFanout;
import net.dnsoops.core.ConditionType;
import net.dnsoops.core.CoreLoop;
import net.dnsoops.core.Input;
import net.dnsoops.core.ServiceSnapshot;
import net.dnsoops.core.ZoneState;
import net.dnsoops.input.notify.NotifyCounters;
import net.dnsoops.input.notify.NotifyListener;
import net.dnsoops.input.soa.SoaPoller;
import net.dnsoops.ops.Control;
import net.dnsoops.ops.OpsMetrics;
import net.dnsoops.ops.OpsServer;
import net.dnsoops.ops.OpsSources;
import net.dnsoops.ops.RecentConditions;
import org.xbill.DNS.Name;
import net.dnsoops.ops.StateFile;
import net.dnsoops.ops.StateSaver;
import net.dnsoops.core.PersistedZone;
import net.dnsoops.core.ZoneSettings;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires inputs → core → actuators from a config, and takes it apart again. The only class that
 * knows every component; the components know only the core's interfaces.
 */
public final class Daemon implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Daemon.class);

    private final Path configPath;
    private final Clock clock;
    private volatile DnsOopsConfig config;
    private volatile List<Actuator> actuators = List.of();
    private ConditionFanout fanout;
    private SoaPoller poller;
    private CoreLoop core;
    private Capture capture;
    private NotifyListener listener;
    private ControlSocket controlSocket;
    /** Held while running: how the CLI knows for certain whether a daemon runs (see InstanceLock). */
    private InstanceLock instanceLock;
    /** Replaced by a reload while ops threads read it. */
    private final List<Input> inputs = new java.util.concurrent.CopyOnWriteArrayList<>();
    private ComponentRegistry.Context context;
    private StateSaver stateSaver;
    private final List<Actuator> embedded;
    private boolean closed;
    /** Ops: the condition tap, metrics and the HTTP server (when "http" is configured). */
    private RecentConditions recent;
    private final OpsMetrics metrics = new OpsMetrics();
    /**
     * Hook actuators replaced by a reload still count towards dns_oops_hook_runs_total and
     * _failures_total: while they finish (in {@link #retiring}) and after (in the retired sums),
     * so the counters never go back. Guarded by {@link #hookCountLock}, which also guards the
     * swap of {@link #actuators} on reload so a scrape never counts one twice.
     */
    private final Object hookCountLock = new Object();
    private final List<Actuator> retiring = new ArrayList<>();
    private long retiredHookRuns;
    private long retiredHookFailures;
    private OpsServer ops;
    private Instant startedAt;

    public Daemon(Path configPath, DnsOopsConfig config, Clock clock) {
        this(configPath, config, clock, List.of());
    }

    /**
     * With {@code embedded} actuators added to the configured ones: for programs that run
     * dns-oops inside their own JVM (the benchmark counts conditions this way).
     */
    public Daemon(Path configPath, DnsOopsConfig config, Clock clock, List<Actuator> embedded) {
        this.embedded = List.copyOf(embedded);
        this.configPath = configPath;
        this.config = config;
        this.clock = clock;
    }

    public synchronized void start() throws Exception {
        openControl();
        try {
            startComponents();
        } catch (Exception | Error e) {
            close(); // releases the control socket and the lock too
            throw e;
        }
    }

    private void startComponents() throws Exception {
        startedAt = clock.instant();
        fanout = new ConditionFanout(List.of());
        poller = new SoaPoller(config.soaQueriesPerSecond, config.soaMaxInFlight);
        poller.observe(metrics::observeCheck);
        List<ZoneSettings> zones = config.zoneSettings();
        capture = new Capture(config.capture, clock);
        capture.configure(zones);
        capture.start();
        poller.observeTraffic(capture);
        core = new CoreLoop(clock, new Random(), poller, fanout);
        context = new ComponentRegistry.Context(core, control(), clock);
        recent = new RecentConditions(config.http != null ? config.http.recentConditions : 50);
        metrics.bind(opsSources());
        actuators = startActuators(config, context);
        fanout.replace(withTaps(actuators));
        poller.start(core);
        listener = new NotifyListener(config.listen, config.tcpIdleTimeout, config.tcpMaxConnections,
                () -> config.keyRing(), config.notifyRatePerSource).observe(capture);
        try {
            listener.start(core);
            for (Input in : ComponentRegistry.inputs(config, context)) {
                in.start(core);
                inputs.add(in);
            }
        } catch (Exception e) {
            close();
            throw e;
        }
        core.emitBridge(ConditionType.BRIDGE_STARTED, true); // queued first: signalled before any zone news
        List<PersistedZone> saved = List.of();
        if (config.stateFile != null) {
            StateFile file = new StateFile(configPath.toAbsolutePath().resolveSibling(config.stateFile));
            saved = file.read();
            stateSaver = new StateSaver(core, file, config.stateSaveInterval);
        }
        // The per-zone config objects were only needed to build the settings; with a million zones
        // keeping them would double the heap. Components read their config at construction.
        config.zones = Map.of();
        if (java.nio.file.Files.exists(config.drainFile)) {
            log.warn("{} exists: starting drained (no routes until \"dns-oops undrain\")", config.drainFile);
            core.emitBridge(ConditionType.DRAINING, true);
        }
        controlSocket.serve(core, this::actuatorHealth, this::statusJson);
        core.start(zones, saved, serviceZones(config));
        if (config.http != null) {
            try {
                ops = new OpsServer(config.http, opsSources(), control(), metrics);
                ops.start();
            } catch (Exception e) {
                close();
                throw e;
            }
        }
        log.info("dns-oops started: {} zones, actuators {}", zones.size(),
                actuators.stream().map(Actuator::name).toList());
    }

    /**
     * Before anything else starts: takes the instance lock next to the drain file and binds the
     * control socket. A daemon that cannot be drained (path not writable, another dns-oops on the
     * same socket or drain file) refuses to start rather than run without the switch, and
     * touches neither the other daemon's socket nor any route.
     */
    private void openControl() throws Exception {
        Path lockFile = InstanceLock.pathFor(config.drainFile);
        try {
            instanceLock = InstanceLock.acquire(lockFile, "pid " + ProcessHandle.current().pid() + ", control-socket "
                    + config.controlSocket.toAbsolutePath(), java.time.Duration.ofSeconds(3));
        } catch (java.io.IOException e) {
            throw new ConfigException(e.getMessage() + "; not starting", e);
        }
        controlSocket = new ControlSocket(config.controlSocket, config.drainFile);
        try {
            controlSocket.open();
        } catch (java.io.IOException e) {
            instanceLock.close();
            instanceLock = null;
            controlSocket = null;
            throw new ConfigException(e.getMessage() + " (dns-oops drain could not reach this daemon; not starting)", e);
        }
    }

    /** GET /status's document on one line, for "dns-oops status" without an "http" section. */
    private String statusJson() {
        return net.dnsoops.ops.StatusReport.statusJson(opsSources());
    }

    private List<Actuator> startActuators(DnsOopsConfig config, ComponentRegistry.Context context) {
        List<Actuator> started = new ArrayList<>();
        List<Actuator> all = new ArrayList<>(ComponentRegistry.actuators(config, context));
        for (Actuator a : embedded) {
            if (!actuators.contains(a)) all.add(a); else started.add(a); // an embedded one starts once
        }
        for (Actuator a : all) {
            try {
                a.start();
                started.add(a);
            } catch (Exception e) {
                // One actuator that cannot start must not take the NOTIFY bridge down with it.
                log.error("actuator {} failed to start: {}", a.name(), e.getMessage(), e);
            }
        }
        return started;
    }

    /**
     * Re-reads the config file (SIGHUP). Zones are added and removed without a restart, actuators
     * are replaced, the probe, dnssec, stats and verify inputs take their new sections keeping the
     * state of what stays; a config that does not load, or an input that cannot be built from
     * it, is reported and the running config kept whole.
     */
    public synchronized boolean reload() {
        return reloadOrWhy() == null;
    }

    /** {@link #reload()}, returning null when applied and the reason when the config was rejected. */
    private synchronized String reloadOrWhy() {
        DnsOopsConfig next;
        InputReload inputPlan;
        try {
            next = ConfigLoader.load(configPath);
            inputPlan = InputReload.prepare(inputs, config, next, context);
        } catch (ConfigException | RuntimeException e) {
            log.error("reload failed, keeping the running config: {}", e.getMessage());
            return e.getMessage();
        }
        if (!next.listen.equals(config.listen)) {
            log.warn("reload: listen addresses changed; restart dns-oops to apply them");
        }
        if (!Objects.equals(describeHttp(next), describeHttp(config))) {
            log.warn("reload: the \"http\" section changed; restart dns-oops to apply it");
        }
        List<Actuator> old = actuators;
        List<Actuator> fresh = startActuators(next, context);
        List<Actuator> retired = old.stream().filter(a -> !embedded.contains(a)).toList();
        synchronized (hookCountLock) {
            actuators = fresh;
            retiring.addAll(retired);
        }
        fanout.replace(withTaps(actuators));
        List<ZoneSettings> zones = next.zoneSettings();
        Map<String, java.util.Set<String>> services = serviceZones(next);
        next.zones = Map.of(); // as at start: the settings hold what is needed
        core.configure(zones, services);
        capture.configure(zones); // "capture" paths and sizes apply at the next start
        List<Input> nowRunning = inputPlan.apply(inputs, core); // after the zones: verify registers zones the core now has
        inputs.clear();
        inputs.addAll(nowRunning);
        config = next;
        Thread closer = new Thread(() -> retired.forEach(a -> {
            a.close();
            synchronized (hookCountLock) {
                if (a instanceof HookActuator h) {
                    retiredHookRuns += h.runs();
                    retiredHookFailures += h.failures();
                }
                retiring.remove(a);
            }
        }), "dns-oops-reload-close");
        closer.setDaemon(true);
        closer.start();
        log.info("reloaded {}: {} zones", configPath, zones.size());
        return null;
    }

    /** The zones of each "services" entry: the core decides their readiness like a group's. */
    private static Map<String, java.util.Set<String>> serviceZones(DnsOopsConfig c) {
        if (c.services.isEmpty()) return Map.of();
        Map<String, java.util.Set<String>> m = new java.util.LinkedHashMap<>();
        c.serviceSettings().forEach(s -> m.put(s.name(), s.zones()));
        return m;
    }

    /** The configured actuators plus the ops tap (which the fan-out feeds, but is not a user's actuator). */
    private List<Actuator> withTaps(List<Actuator> configured) {
        List<Actuator> all = new ArrayList<>(configured);
        all.add(recent);
        return all;
    }

    private static String describeHttp(DnsOopsConfig c) {
        if (c.http == null) return "";
        return c.http.listen + " " + c.http.token + " " + c.http.tokenFile + " " + c.http.allowUnauthenticatedLoopback
                + " " + c.http.protectReads + " " + c.http.statusPage + " " + c.http.recentConditions;
    }

    /** What the HTTP API may do; drain and undrain act as the control socket's commands do. */
    public Control control() {
        return new Control() {
            @Override
            public void reload() {
                String why = reloadOrWhy();
                if (why != null) throw new IllegalArgumentException(why);
            }

            @Override
            public boolean refreshZone(Name zone) {
                return core.refresh(zone).orTimeout(5, java.util.concurrent.TimeUnit.SECONDS).join();
            }

            @Override
            public String drain() {
                try {
                    return controlSocket.drain();
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
            }

            @Override
            public String undrain() {
                try {
                    return controlSocket.undrain();
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
            }
        };
    }

    /** Where the HTTP server listens (empty without "http"). */
    public List<InetSocketAddress> httpAddresses() {
        return ops == null ? List.of() : ops.boundAddresses();
    }

    private OpsSources opsSources() {
        return new OpsSources() {
            @Override
            public CompletableFuture<net.dnsoops.core.ZonePage> zonePage(net.dnsoops.core.ZoneQuery query) {
                return core.query(w -> w.zonePage(query));
            }

            @Override
            public CompletableFuture<Map<ZoneState, Integer>> zoneStates() {
                return core.query(w -> w.stateCounts());
            }

            @Override
            public CompletableFuture<List<ServiceSnapshot>> services() {
                return core.query(w -> w.services());
            }

            @Override
            public CompletableFuture<net.dnsoops.core.Readiness> readiness() {
                return core.query(w -> w.readiness());
            }

            @Override
            public List<Component> components() {
                List<Component> out = new ArrayList<>();
                if (listener != null) out.add(new Component("input", listener.name(), listener.health(), listener));
                if (poller != null) out.add(new Component("input", poller.name(), poller.health(), poller));
                for (Input in : List.copyOf(inputs)) out.add(new Component("input", in.name(), in.health(), in));
                for (Actuator a : actuators) out.add(new Component("actuator", a.name(), a.health(), a));
                return out;
            }

            @Override
            public Map<String, Long> notifyAnswers() {
                return listener == null ? Map.of() : listener.counters().answers();
            }

            @Override
            public Map<String, Long> notifyRejected() {
                if (listener == null) return Map.of();
                return Map.of("rate-limit", listener.counters().rateLimitedCount(),
                        "tsig", listener.counters().tsigRejectedCount());
            }

            @Override
            public long notifyDropped() {
                return listener == null ? 0 : listener.counters().droppedCount();
            }

            @Override
            public long soaChecks() {
                return poller.checksStarted();
            }

            @Override
            public long soaFailures() {
                return poller.checksFailed();
            }

            @Override
            public long soaQueryTimeouts() {
                return poller.queryTimeouts();
            }

            @Override
            public long hookRuns() {
                synchronized (hookCountLock) {
                    return retiredHookRuns + retiring.stream().filter(HookActuator.class::isInstance)
                            .mapToLong(a -> ((HookActuator) a).runs()).sum() + hooks().mapToLong(HookActuator::runs).sum();
                }
            }

            @Override
            public long hookFailures() {
                synchronized (hookCountLock) {
                    return retiredHookFailures + retiring.stream().filter(HookActuator.class::isInstance)
                            .mapToLong(a -> ((HookActuator) a).failures()).sum()
                            + hooks().mapToLong(HookActuator::failures).sum();
                }
            }

            private java.util.stream.Stream<HookActuator> hooks() {
                return actuators.stream().filter(HookActuator.class::isInstance).map(HookActuator.class::cast);
            }

            @Override
            public Map<String, Long> queueDepths() {
                Map<String, Long> m = new LinkedHashMap<>();
                m.put("core", (long) core.queueDepth());
                m.put("soa", (long) poller.queueDepth());
                m.put("hooks", hooks().mapToLong(HookActuator::pending).sum());
                return m;
            }

            @Override
            public RecentConditions conditions() {
                return recent;
            }

            @Override
            public Instant startedAt() {
                return startedAt;
            }

            @Override
            public boolean drained() {
                return core.draining();
            }
        };
    }

    /** One line: each actuator's name, health status and detail (for "dns-oops status"). */
    private String actuatorHealth() {
        List<Actuator> now = actuators;
        StringBuilder b = new StringBuilder();
        for (Actuator a : now) {
            net.dnsoops.core.Health h = a.health();
            if (b.length() > 0) b.append("; ");
            b.append(a.name()).append(": ").append(h.status()).append(h.detail().isEmpty() ? "" : " " + h.detail());
        }
        return b.toString().replace('\n', ' ');
    }

    public CoreLoop core() {
        return core;
    }

    /** The per-zone pcap/DSC capture (for status and health output). */
    public Capture capture() {
        return capture;
    }

    /** Single UDP SOA queries that timed out so far (for the benchmark). */
    public long soaQueryTimeouts() {
        return poller.queryTimeouts();
    }

    /** SOA checks started so far (for the benchmark and status). */
    public long soaChecksStarted() {
        return poller.checksStarted();
    }

    /** The running actuators, configured and embedded. */
    public List<Actuator> actuators() {
        return actuators;
    }

    public NotifyCounters notifyCounters() {
        return listener.counters();
    }

    public List<InetSocketAddress> boundAddresses() {
        return listener.boundAddresses();
    }

    /** Signals bridge-stopping, lets actuators finish, stops everything. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        if (ops != null) ops.close();
        if (core != null) {
            core.emitBridge(ConditionType.BRIDGE_STARTED, false);
            core.emitBridge(ConditionType.BRIDGE_STOPPING, true);
        }
        if (listener != null) listener.close();
        if (controlSocket != null) controlSocket.close();
        for (Input in : inputs) in.close();
        if (stateSaver != null) stateSaver.close();
        if (core != null) core.close();
        for (Actuator a : actuators) {
            try {
                a.close();
            } catch (RuntimeException e) {
                log.warn("actuator {} did not close cleanly: {}", a.name(), e.toString());
            }
        }
        if (poller != null) poller.close();
        if (capture != null) capture.close();
        // Last: until every route is withdrawn, the CLI must not take this daemon for gone.
        if (instanceLock != null) instanceLock.close();
        log.info("dns-oops stopped");
    }
}
