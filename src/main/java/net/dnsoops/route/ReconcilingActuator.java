package net.dnsoops.route;

import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import net.dnsoops.core.Actuator;
import net.dnsoops.core.Condition;
import net.dnsoops.core.ConditionType;
import net.dnsoops.core.Health;
import net.dnsoops.core.StateView;
import net.dnsoops.core.ZoneSnapshot;
import net.dnsoops.core.ZoneState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared engine of the route actuators: it owns a {@link RoutePolicy} on its own thread and
 * makes the routing daemon converge to the policy's desired set. {@link #apply} only queues, so
 * the core never waits for BIRD or ExaBGP.
 *
 * <p>Converges when the desired set changes; again from scratch (a "full" pass that also removes
 * stray routes) at start, after a failure (retry with doubling backoff) and every
 * {@code resync} interval, which is also how a restarted routing daemon gets its routes back. On
 * close after bridge-stopping, every route is withdrawn and acknowledged before close returns
 * (bounded by {@code stopTimeout}); a close without bridge-stopping (a config reload) leaves the
 * routes to the actuator that replaces this one.
 */
public abstract class ReconcilingActuator implements Actuator, net.dnsoops.ops.OpsContributor {
    private static final Duration RETRY_MIN = Duration.ofMillis(200);
    private static final Duration RETRY_MAX = Duration.ofSeconds(30);
    /** Longest wait for the first verification round before converging anyway. */
    private static final Duration FIRST_ROUND_MAX = Duration.ofSeconds(30);

    /**
     * What each actuator (by name) last confirmed announced, kept across config reloads: a
     * successor's full pass also withdraws prefixes that the new config no longer has.
     */
    private static final Map<String, Set<String>> LAST_CONFIRMED =
            new ConcurrentHashMap<>();

    protected final Logger log = LoggerFactory.getLogger(getClass());
    private final String name;
    private final Clock clock;
    private final RoutePolicy policy;
    private final StateView state;
    private final Duration resync;
    private final Duration stopTimeout;
    private final LinkedBlockingQueue<Condition> inbox = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final CountDownLatch withdrawn = new CountDownLatch(1);
    private volatile boolean closing;
    private volatile boolean stopSeen;
    private volatile Health health = Health.degraded("not converged yet");
    private final List<ServiceSettings> services;
    /** Per service: its prefixes and which of them the routing daemon confirmed announced (for /status). */
    private volatile Map<String, Object> routeState = Map.of();

    /** What the daemon was last confirmed to have; null when unknown (start, after a failure). */
    private SortedMap<String, Route> applied;
    private long nextResyncMs;
    private long retryAtMs = -1;
    private int failures;

    protected ReconcilingActuator(String name, Clock clock, List<ServiceSettings> services, StateView state,
                                  Duration resync, Duration stopTimeout) {
        this.name = name;
        this.clock = clock;
        this.policy = new RoutePolicy(clock, services);
        this.services = List.copyOf(services);
        this.state = state;
        this.resync = resync;
        this.stopTimeout = stopTimeout;
        this.thread = new Thread(this::loop, "dns-oops-" + name);
        this.thread.setDaemon(true);
    }

    /**
     * Makes the routing daemon announce exactly {@code desired} (for the prefixes this actuator
     * manages). {@code previous} is what was confirmed last time, or null: then do a full pass
     * that also withdraws any of {@code allPrefixes} that should not be there. Blocking is fine
     * here; throw when the daemon did not confirm.
     */
    protected abstract void converge(SortedMap<String, Route> desired, SortedMap<String, Route> previous,
                                     List<String> allPrefixes) throws Exception;

    /** Drop connections after a failure, so the next attempt starts clean. */
    protected void reset() {
    }

    /** Called once when every route was withdrawn and confirmed at shutdown. */
    protected void withdrawnForGood() {
    }

    /** Release resources; called once on the actuator's thread when it ends. */
    protected void shutdown() {
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public void start() throws Exception {
        thread.start();
    }

    @Override
    public final void apply(Condition c) {
        if (c.type() == ConditionType.BRIDGE_STOPPING && c.raised()) stopSeen = true;
        inbox.add(c);
    }

    @Override
    public Health health() {
        return health;
    }

    private void loop() {
        try {
            awaitFirstRound();
            nextResyncMs = clock.millis();
            while (true) {
                long now = clock.millis();
                long wake = earliest(policy.nextDeadline(), retryAtMs, resync.isZero() ? -1 : nextResyncMs);
                Condition c = inbox.poll(wake < 0 ? 1000 : Math.max(0, wake - now), TimeUnit.MILLISECONDS);
                while (c != null) {
                    policy.apply(c);
                    c = inbox.poll();
                }
                if (closing && !stopSeen) return; // reload: the next actuator owns the routes now
                if (closing) policy.stop();
                policy.runDue();
                step();
                if (closing && applied != null && applied.isEmpty()) {
                    withdrawnForGood();
                    withdrawn.countDown();
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                shutdown();
            } catch (RuntimeException e) {
                log.warn("{}: shutdown: {}", name, e.toString());
            }
        }
    }

    /**
     * Routes move only on verified state: before the first converge (which also decides what a
     * previous run left announced), wait until every zone of every service was checked once, so
     * a restart of dns-oops neither withdraws good routes nor announces unverified ones.
     */
    private void awaitFirstRound() throws InterruptedException {
        if (state == null) return;
        long end = System.nanoTime() + FIRST_ROUND_MAX.toNanos();
        Set<String> needed = policy.zoneNames();
        while (true) {
            if (closing || stopSeen) return; // the core may be gone: do not query it; converge to nothing
            List<ZoneSnapshot> zones = state.zones();
            // A zone not in the snapshot yet (the core has not installed the config) counts as pending.
            Set<String> checked = new HashSet<>();
            zones.stream().filter(z -> z.state() != ZoneState.PENDING)
                    .forEach(z -> checked.add(z.zone()));
            boolean pending = !checked.containsAll(needed);
            if (!pending || System.nanoTime() > end) {
                policy.seed(zones, state.services(), state.draining(), state.serverConditions());
                return;
            }
            Thread.sleep(50);
        }
    }

    private void step() {
        long now = clock.millis();
        SortedMap<String, Route> desired = policy.desired();
        boolean full = applied == null || (!resync.isZero() && now >= nextResyncMs);
        if (!full && desired.equals(applied)) return;
        if (retryAtMs >= 0 && now < retryAtMs && !closing) return;
        try {
            long t0 = System.nanoTime();
            Set<String> known = new TreeSet<>(policy.allPrefixes());
            known.addAll(LAST_CONFIRMED.getOrDefault(name, Set.of()));
            // Until confirmed, count what we are about to announce as possibly announced.
            Set<String> possibly = new TreeSet<>(LAST_CONFIRMED.getOrDefault(name, Set.of()));
            possibly.addAll(desired.keySet());
            LAST_CONFIRMED.put(name, Set.copyOf(possibly));
            converge(desired, full ? null : applied, List.copyOf(known));
            LAST_CONFIRMED.put(name, Set.copyOf(desired.keySet()));
            if (failures > 0 || !desired.equals(applied)) {
                // with the attributes: a change of attributes alone (query-rate-high) is visible in the log too
                log.info("{}: announced {} ({} ms{})", name, desired.isEmpty() ? "nothing" : describe(desired.values()),
                        (System.nanoTime() - t0) / 1_000_000, full ? ", full pass" : "");
            }
            applied = desired;
            routeState = routeState(desired);
            failures = 0;
            retryAtMs = -1;
            nextResyncMs = now + resync.toMillis();
            health = Health.ok(desired.size() + " prefixes announced" + (policy.draining() ? " (drained)" : "")
                    + policy.addedAttributesNote());
        } catch (Exception e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            applied = null;
            failures++;
            long wait = Math.min(RETRY_MAX.toMillis(), RETRY_MIN.toMillis() << Math.min(failures - 1, 16));
            retryAtMs = now + wait;
            health = Health.degraded("cannot converge: " + e.getMessage());
            log.warn("{}: cannot converge (attempt {}, retry in {} ms): {}", name, failures, wait, e.getMessage());
            safeReset();
        }
    }

    private Map<String, Object> routeState(SortedMap<String, Route> announced) {
        Map<String, Object> m = new java.util.TreeMap<>();
        for (ServiceSettings s : services) {
            List<String> up = s.prefixes().stream().filter(announced::containsKey).toList();
            m.put(s.name(), Map.of("prefixes", s.prefixes(), "announced", up,
                    "route", up.isEmpty() ? "withdrawn" : up.size() == s.prefixes().size() ? "announced" : "partly announced"));
        }
        return m;
    }

    /** Each service's route as last confirmed by the routing daemon: shown per service in /status and on the page. */
    @Override
    public Map<String, Object> statusDetails() {
        return Map.of("services", routeState);
    }

    private static String describe(java.util.Collection<Route> routes) {
        return routes.stream().map(r -> r.attributes().toString().isEmpty() ? r.prefix()
                : r.prefix() + " {" + r.attributes() + "}").collect(java.util.stream.Collectors.joining(", ", "[", "]"));
    }

    private void safeReset() {
        try {
            reset();
        } catch (RuntimeException e) {
            log.debug("{}: reset: {}", name, e.toString());
        }
    }

    private static long earliest(long... times) {
        long min = -1;
        for (long t : times) if (t >= 0 && (min < 0 || t < min)) min = t;
        return min;
    }

    /**
     * After bridge-stopping: waits until every route is withdrawn and confirmed (or the stop
     * timeout passes). Otherwise (reload): stops at once and leaves the routes as they are.
     */
    @Override
    public void close() {
        closing = true;
        inbox.add(Condition.bridge(ConditionType.BRIDGE_STARTED, false, clock.instant())); // wake the thread
        try {
            if (stopSeen && (thread.isAlive() || withdrawn.getCount() == 0)) {
                if (withdrawn.await(stopTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    log.info("{}: every route withdrawn and confirmed", name);
                } else {
                    log.error("{}: routes not confirmed withdrawn within {} ms", name, stopTimeout.toMillis());
                }
            }
            // A pass in progress is let finish (bounded), so what it did is known to the successor.
            thread.join(stopSeen ? 100 : stopTimeout.toMillis());
            thread.interrupt();
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** For tests and status: the policy's view (read only from the actuator's thread in production). */
    protected RoutePolicy policy() {
        return policy;
    }
}
