package net.dnsoops.actuator.hook;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import net.dnsoops.core.Actuator;
import net.dnsoops.core.Condition;
import net.dnsoops.core.Health;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Command hooks (config "hooks"): runs argv templates on conditions, nsnotifyd-style. At most
 * {@code workers} commands run at once; commands for one zone (or service) run in the order of
 * their conditions; a non-zero exit is retried with doubling backoff. Nothing here ever blocks
 * the core: {@link #apply} only queues.
 */
public final class HookActuator implements Actuator {
    private static final Logger log = LoggerFactory.getLogger(HookActuator.class);

    private final List<HookConfig> hooks;
    private final ExecutorService workers;
    private final ExecutorService pumps = Executors.newCachedThreadPool(r -> daemon(r, "dns-oops-hook-output"));
    private final HookRunner runner = new HookRunner(pumps);
    /** The last queued job per zone/service: the next one for that key runs after it. */
    private final Map<String, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();
    private final AtomicLong runs = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong pending = new AtomicLong();
    private final AtomicReference<String> lastFailure = new AtomicReference<>("");
    /** One collector per batching hook (batch-size above 1), by position in {@link #hooks}. */
    private final Map<HookConfig, HookBatch> batches = new java.util.IdentityHashMap<>();
    private final java.util.concurrent.ScheduledExecutorService batchTimer =
            Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "dns-oops-hook-batch"));
    private final String site;

    public HookActuator(List<HookConfig> hooks, int workers) {
        this(hooks, workers, null);
    }

    /** {@code site} goes into the JSON lines of batched hooks (null: none configured). */
    public HookActuator(List<HookConfig> hooks, int workers, String site) {
        this.hooks = List.copyOf(hooks);
        this.site = site;
        this.workers = Executors.newFixedThreadPool(workers, r -> daemon(r, "dns-oops-hook"));
        for (int i = 0; i < this.hooks.size(); i++) {
            HookConfig h = this.hooks.get(i);
            String key = "hook " + (i + 1) + " batch";
            if (h.batched()) batches.put(h, new HookBatch(h, batchTimer, batch -> runBatch(h, key, batch)));
        }
    }

    @Override
    public String name() {
        return "hooks";
    }

    @Override
    public void apply(Condition c) {
        for (HookConfig h : hooks) {
            if (!wants(h, c)) continue;
            if (h.batched()) {
                batches.get(h).add(c);
                continue;
            }
            Map<String, String> vars = CommandTemplate.variables(c);
            List<String> argv = CommandTemplate.expand(h.argvTemplate(), vars);
            Map<String, String> env = CommandTemplate.environment(vars);
            String key = c.zone() != null ? "zone " + c.zone() : c.service() != null ? "service " + c.service() : "bridge";
            String label = c.type().wireName() + " " + key;
            Map<String, String> fields = new java.util.LinkedHashMap<>();
            fields.put("condition", c.type().wireName());
            fields.put("state", c.state());
            if (c.zone() != null) fields.put("zone", c.zone());
            if (c.service() != null) fields.put("service", c.service());
            enqueue(key, h, argv, env, null, label, fields);
        }
    }

    /** One run of a batching hook: its conditions as JSON lines on stdin, {count} in argv and env. */
    private void runBatch(HookConfig h, String key, List<Condition> batch) {
        Map<String, String> vars = Map.of("count", Integer.toString(batch.size()));
        List<String> argv = CommandTemplate.expand(h.argvTemplate(), vars);
        Map<String, String> env = CommandTemplate.environment(vars);
        Map<String, String> fields = new java.util.LinkedHashMap<>();
        fields.put("batch", Integer.toString(batch.size()));
        enqueue(key, h, argv, env, HookBatch.stdin(batch, site), "batch of " + batch.size(), fields);
    }

    /** Queues a run after the previous one with the same key (zone, service, batching hook). */
    private void enqueue(String key, HookConfig h, List<String> argv, Map<String, String> env, byte[] stdin,
                         String label, Map<String, String> fields) {
        pending.incrementAndGet();
        CompletableFuture<Void> next = new CompletableFuture<>();
        CompletableFuture<Void> prev = tails.put(key, next);
        CompletableFuture<Void> after = prev == null ? CompletableFuture.completedFuture(null) : prev;
        after.whenComplete((v, e) -> attempt(h, argv, env, stdin, label, fields, 0, next));
        next.whenComplete((v, e) -> {
            pending.decrementAndGet();
            tails.remove(key, next);
        });
    }

    private static boolean wants(HookConfig h, Condition c) {
        if (h.on.stream().noneMatch(t -> t.matches(c))) return false;
        if (!EdeCodeFilter.admits(h.edeCodes, c)) return false;
        if (!h.zones.isEmpty() && (c.zone() == null || h.zones.stream().noneMatch(z -> sameZone(z, c.zone())))) {
            return false;
        }
        return h.services.isEmpty() || (c.service() != null && h.services.contains(c.service()));
    }

    private static boolean sameZone(String configured, String zone) {
        String a = configured.endsWith(".") ? configured : configured + ".";
        return a.equalsIgnoreCase(zone);
    }

    private void attempt(HookConfig h, List<String> argv, Map<String, String> env, byte[] stdin, String label,
                         Map<String, String> fields, int attempt, CompletableFuture<Void> done) {
        CompletableFuture.supplyAsync(() -> runner.run(argv, env, stdin, h.timeout, label), workers)
                .whenComplete((outcome, error) -> {
                    runs.incrementAndGet();
                    String why = error != null ? error.toString() : outcome.failure();
                    if (error == null && outcome.ok()) {
                        withFields(log.atInfo(), fields, "ran").log("hook ran: {} -> {}", label, String.join(" ", argv));
                        done.complete(null);
                    } else if (attempt < h.retries) {
                        Duration wait = h.retryWait(attempt);
                        withFields(log.atWarn(), fields, "retry").log("hook failed ({}), retry {}/{} in {} ms: {} -> {}", why, attempt + 1, h.retries,
                                wait.toMillis(), label, String.join(" ", argv));
                        CompletableFuture.delayedExecutor(wait.toMillis(), TimeUnit.MILLISECONDS)
                                .execute(() -> attempt(h, argv, env, stdin, label, fields, attempt + 1, done));
                    } else {
                        failures.incrementAndGet();
                        lastFailure.set(label + ": " + why);
                        withFields(log.atError(), fields, "gave-up").log("hook failed ({}), giving up after {} tries: {} -> {}", why, attempt + 1, label,
                                String.join(" ", argv));
                        done.complete(null);
                    }
                });
    }

    /** Zone, service and condition as structured log fields (JSON logs), plus what the hook did. */
    private static org.slf4j.spi.LoggingEventBuilder withFields(org.slf4j.spi.LoggingEventBuilder b,
                                                                Map<String, String> fields, String outcome) {
        b = b.addKeyValue("actuator", "hooks").addKeyValue("action", outcome);
        for (Map.Entry<String, String> f : fields.entrySet()) b = b.addKeyValue(f.getKey(), f.getValue());
        return b;
    }

    @Override
    public Health health() {
        String d = runs.get() + " runs, " + failures.get() + " gave up, " + pending.get() + " pending";
        return failures.get() == 0 ? Health.ok(d) : Health.degraded(d + "; last: " + lastFailure.get());
    }

    /** Commands run so far, retries included. */
    public long runs() {
        return runs.get();
    }

    /** Hook runs given up after all retries (for metrics). */
    public long failures() {
        return failures.get();
    }

    /** Hook runs that have not finished (including retries waiting), plus conditions waiting in a batch. */
    public long pending() {
        long waiting = 0;
        for (HookBatch b : batches.values()) waiting += b.size();
        return pending.get() + waiting;
    }

    /** Lets queued hooks (e.g. on bridge-stopping) finish for up to 10 s, then stops. */
    @Override
    public void close() {
        batches.values().forEach(HookBatch::flush); // a half-full batch still runs
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (pending.get() > 0 && System.nanoTime() < end) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (pending.get() > 0) log.warn("{} hook runs still pending at shutdown", pending.get());
        workers.shutdownNow();
        pumps.shutdownNow();
        batchTimer.shutdownNow();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
