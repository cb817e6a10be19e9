package net.dnsoops.core;

import java.net.InetAddress;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;

/**
 * Runs the {@link ZoneWatcher} on one thread: inputs enqueue events from any thread, the loop
 * applies them in order and wakes for the watcher's deadlines. One writer means no locks on
 * zone state and a strict order of conditions per zone.
 */
public final class CoreLoop implements CoreSink, StateView, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CoreLoop.class);
    /**
     * The longest the core thread parks, with or without a deadline: parking counts monotonic
     * time, deadlines are wall-clock epoch milliseconds. Waking this often bounds how late a
     * deadline fires after the wall clock stepped forward or the host was suspended.
     */
    private static final long IDLE_WAIT_MS = 1000;

    private final Clock clock;
    private final ZoneWatcher watcher;
    /** Issue 10: DNSSEC expiry, query rates, EDE; run on the core thread like the watcher. */
    private final ServerSignals signals;
    private final ConditionSink sink;
    /** Lock-free queue; the core thread parks when idle and producers unpark it only then. */
    private final ConcurrentLinkedQueue<Runnable> events = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean parked = new AtomicBoolean();
    private final Thread thread;
    /** Read by listener threads for admission; replaced whole on reload. */
    private volatile Map<Name, ZoneSettings> admission = Map.of();
    /**
     * Zones with a NOTIFY event queued for the core thread and not yet taken. A NOTIFY storm
     * (a primary re-notifying 1,000 zones as fast as it can) then enqueues one event per zone
     * per turn of the core loop instead of one per datagram: the core coalesces them into one
     * check anyway, and the queue, the wake-ups and the core's time stay bounded by the zones.
     */
    private final java.util.Set<Name> notifyQueued = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean running = true;
    /** Last "draining" state handed to the sink; read by actuators that seed themselves. */
    private volatile boolean draining;

    public CoreLoop(Clock clock, RandomGenerator random, CheckRequester checks, ConditionSink sink) {
        this.clock = clock;
        this.sink = sink;
        this.watcher = new ZoneWatcher(clock, random, checks, sink);
        this.signals = new ServerSignals(clock, sink);
        this.thread = new Thread(this::loop, "dns-oops-core");
        this.thread.setDaemon(true);
    }

    /** Installs the zones and starts checking them. */
    public void start(Collection<ZoneSettings> zones) {
        start(zones, List.of());
    }

    /** Installs the zones, takes back what a previous run persisted, and starts checking. */
    public void start(Collection<ZoneSettings> zones, Collection<PersistedZone> saved) {
        start(zones, saved, Map.of());
    }

    /** ... with the "services" entries' zones by service name (see {@link #configure(Collection, Map)}). */
    public void start(Collection<ZoneSettings> zones, Collection<PersistedZone> saved,
                      Map<String, ? extends Collection<String>> serviceZones) {
        configure(zones, serviceZones);
        List<PersistedZone> copy = List.copyOf(saved);
        submit(() -> watcher.restore(copy));
        submit(watcher::start);
        thread.start();
    }

    /** Replaces the zone list (SIGHUP reload); state of zones that remain is kept. */
    public void configure(Collection<ZoneSettings> zones) {
        configure(zones, Map.of());
    }

    /**
     * ... and the services that "services" entries define, each with its zones (names as in the
     * config): a zone belongs to its group's service and to every service listing it.
     */
    public void configure(Collection<ZoneSettings> zones, Map<String, ? extends Collection<String>> serviceZones) {
        Map<String, List<Name>> members = new java.util.LinkedHashMap<>();
        serviceZones.forEach((service, names) -> members.put(service, names.stream().map(CoreLoop::name).toList()));
        List<ZoneSettings> copy = List.copyOf(zones);
        admission = copy.stream().collect(Collectors.toUnmodifiableMap(ZoneSettings::name, s -> s, (a, b) -> b));
        java.util.Set<Name> names = admission.keySet(); // an immutable map's: copying it cost start-up time
        submit(() -> {
            watcher.configure(copy, members);
            signals.zonesKept(names);
        });
    }

    /** Emits a bridge-level condition in order with everything else. */
    public void emitBridge(ConditionType type, boolean raised) {
        submit(() -> {
            if (type == ConditionType.DRAINING) draining = raised;
            sink.emit(Condition.bridge(type, raised, clock.instant()));
            if (type == ConditionType.DRAINING) watcher.drained(raised); // then each service's not-ready, reason "drained"
        });
    }

    @Override
    public boolean draining() {
        return draining;
    }

    @Override
    public Map<ConditionType, java.util.Set<String>> serverConditions() {
        return query(w -> { // on the core thread, like every read
            Map<ConditionType, java.util.Set<String>> m = new java.util.EnumMap<>(signals.queryRatesHolding());
            java.util.Set<String> down = w.serversDown();
            if (!down.isEmpty()) m.put(ConditionType.SERVER_DOWN, java.util.Set.copyOf(down));
            return m;
        }).join();
    }

    /** Runs a read of the watcher on the core thread, e.g. for status output. */
    public <T> CompletableFuture<T> query(Function<ZoneWatcher, T> read) {
        CompletableFuture<T> f = new CompletableFuture<>();
        submit(() -> {
            try {
                f.complete(read.apply(watcher));
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    @Override
    public List<ZoneSnapshot> zones() {
        return query(ZoneWatcher::zones).join();
    }

    @Override
    public List<ServiceSnapshot> services() {
        return query(ZoneWatcher::services).join();
    }

    @Override
    public Admission admitNotify(Name zone, InetAddress source, Name verifiedKey) {
        return ZoneWatcher.admit(admission.get(zone), source, verifiedKey);
    }

    @Override
    public void notifyReceived(Name zone, InetAddress source, String transport) {
        if (!notifyQueued.add(zone)) return; // one is waiting: it will check the zone (its source is asked first)
        submit(() -> {
            notifyQueued.remove(zone); // before handling it: a NOTIFY from now on queues a new event
            watcher.notified(zone, source);
        });
    }

    /** Checks a zone's SOA now, coalesced like a NOTIFY; completes false if the zone is not configured. */
    public CompletableFuture<Boolean> refresh(Name zone) {
        return query(w -> w.refreshNow(zone));
    }

    @Override
    public void serverEvent(String server, boolean up, String detail) {
        // The server's own word counts like a probe's: down, every service is not ready until it is up.
        submit(() -> watcher.serverHealth(server, up, java.util.Set.of(), detail));
    }

    @Override
    public void serialAnnounced(Name zone, long serial, String source) {
        submit(() -> watcher.announced(zone, serial, source));
    }

    @Override
    public void serverHealth(String server, boolean up, java.util.Set<String> services, String detail) {
        java.util.Set<String> copy = java.util.Set.copyOf(services);
        submit(() -> watcher.serverHealth(server, up, copy, detail));
    }

    @Override
    public void signatures(String server, Name zone, List<SignatureExpiry> seen, java.time.Duration warning) {
        List<SignatureExpiry> copy = List.copyOf(seen);
        submit(() -> signals.signatures(server, zone, copy, warning));
    }

    @Override
    public void queryRate(String server, double rate, double increase, double high, double rising) {
        submit(() -> signals.queryRate(server, rate, increase, high, rising));
    }

    @Override
    public void extendedErrors(String via, String server, Name zone, Map<Integer, String> codes) {
        Map<Integer, String> copy = Map.copyOf(codes);
        submit(() -> signals.extendedErrors(via, server, zone, copy));
    }

    @Override
    public void registerVerifier(java.util.Set<Name> zones, boolean gate, VerifyRequester verifier) {
        java.util.Set<Name> copy = java.util.Set.copyOf(zones);
        submit(() -> watcher.registerVerifier(copy, gate, verifier));
    }

    @Override
    public void verifyFinished(Name zone, long serial, boolean valid, String detail) {
        submit(() -> watcher.verified(zone, serial, valid, detail));
    }

    @Override
    public void probeRemoved(String server) {
        submit(() -> {
            watcher.probeRemoved(server);
            signals.edeRemoved(server);
        });
    }

    @Override
    public void statsRemoved(String server) {
        submit(() -> signals.statsRemoved(server));
    }

    @Override
    public void dnssecRemoved(String server, Name zone) {
        submit(() -> signals.dnssecRemoved(server, zone));
    }

    @Override
    public void verifyRemoved(java.util.Set<Name> zones) {
        java.util.Set<Name> copy = java.util.Set.copyOf(zones);
        submit(() -> watcher.verifyRemoved(copy));
    }

    @Override
    public void zonesServed(String server, java.util.Set<Name> zones, java.util.function.Consumer<java.util.Set<Name>> unwatchedNow) {
        java.util.Set<Name> copy = java.util.Set.copyOf(zones);
        submit(() -> signals.zonesServed(server, copy, unwatchedNow));
    }

    @Override
    public void serverZonesRemoved(String server) {
        submit(() -> signals.serverZonesRemoved(server));
    }

    @Override
    public void checkFinished(CheckResult result) {
        submit(() -> watcher.checkFinished(result));
    }

    /** Events waiting for the core thread (tests: a NOTIFY flood must not grow this past the zones). */
    int queuedEvents() {
        return events.size();
    }

    private void submit(Runnable r) {
        events.add(r);
        if (parked.get() && parked.compareAndSet(true, false)) LockSupport.unpark(thread);
    }

    private void loop() {
        while (running) {
            try {
                Runnable r = events.poll();
                if (r == null) {
                    long deadline = watcher.nextDeadline();
                    long wait = deadline < 0 ? IDLE_WAIT_MS
                            : Math.max(0, Math.min(IDLE_WAIT_MS, deadline - clock.millis()));
                    parked.set(true);
                    if (events.isEmpty() && wait > 0) LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(wait));
                    parked.set(false);
                    if (Thread.currentThread().isInterrupted() && !running) return;
                }
                int n = 0;
                while (r != null) {
                    r.run();
                    // Deadlines are checked between batches, so a flood of events cannot starve expiry.
                    r = ++n < 4096 ? events.poll() : null;
                }
                watcher.runDue();
            } catch (RuntimeException e) {
                // A bug in one event must not stop every zone: log it and go on.
                log.error("core event failed", e);
            }
        }
    }

    private static Name name(String zone) {
        try {
            return Name.fromString(zone.endsWith(".") ? zone : zone + ".", Name.root);
        } catch (org.xbill.DNS.TextParseException e) {
            throw new IllegalArgumentException("bad zone name " + zone, e);
        }
    }

    /** Processes what is queued (e.g. bridge-stopping), then stops the thread. */
    @Override
    public void close() {
        CompletableFuture<Void> drained = new CompletableFuture<>();
        submit(() -> drained.complete(null));
        try {
            drained.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("core did not drain its queue in time");
        }
        running = false;
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Events waiting for the core thread (for metrics). */
    public int queueDepth() {
        return events.size();
    }
}
