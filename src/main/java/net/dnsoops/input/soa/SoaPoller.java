package net.dnsoops.input.soa;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import net.dnsoops.capture.TrafficObserver;
import net.dnsoops.core.CheckRequest;
import net.dnsoops.core.CheckRequester;
import net.dnsoops.core.CheckResult;
import net.dnsoops.core.CoreSink;
import net.dnsoops.core.Health;
import net.dnsoops.core.Input;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SOA poller input: performs the checks the core asks for and feeds the results back. A
 * global rate (queries per second) and a cap on checks in flight protect the primaries: a
 * restart with many zones is spread out instead of sent at once. The core keeps at most one
 * request per zone outstanding, so this queue is bounded by the number of zones. Extended DNS
 * Errors in the answers go to the core as well ({@link EdeReports}). A check starts on the
 * core's thread when it can start at once, from a finishing check's slot at full load, and
 * from the dispatcher thread otherwise (waiting for the rate or for a slot).
 */
public final class SoaPoller implements Input, CheckRequester {
    private static final Logger log = LoggerFactory.getLogger(SoaPoller.class);
    /** Credit that may build up while idle: a short burst is fine, a flood is not. */
    private static final long BURST_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** Per thread: how deep in {@link #passSlotOn} it is (a slot is passed on only at depth 0). */
    private static final ThreadLocal<int[]> PASSING_ON = ThreadLocal.withInitial(() -> new int[1]);
    private static final int WAITS_NOTHING = 0;
    private static final int WAITS_WORK = 1;
    private static final int WAITS_SLOT = 2;

    /** Checks waiting for a slot or for the rate; a check put back goes to the front. */
    private final ConcurrentLinkedDeque<CheckRequest> queue = new ConcurrentLinkedDeque<>();
    private final Semaphore inFlight;
    private final long intervalNanos;
    /** Where the rate's next slot starts (System.nanoTime); shared by every way a check starts. */
    private final AtomicLong nextSlot = new AtomicLong(System.nanoTime());
    private final ExecutorService callbacks = Executors.newSingleThreadExecutor(r -> daemon(r, "dns-oops-soa-answers"));
    private final SoaQuery query = new SoaQuery(callbacks);
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile CoreSink core;
    /** Told of every finished check with its duration (for the ops latency histogram). */
    private volatile CheckObserver observer = (r, nanos) -> { };
    private volatile boolean running = true;
    private volatile Thread dispatcher;
    /**
     * What the dispatcher sleeps for, if it sleeps: work ({@link #WAITS_WORK}) or a slot
     * ({@link #WAITS_SLOT}). Who gives that wakes it, and no one else: at full load every new
     * check queues while the dispatcher waits for a slot, and waking it for each of them (to find
     * no slot and sleep again) took 12 % of the core thread's time in scripts/bench, verified.
     */
    private volatile int dispatcherWaits = WAITS_NOTHING;

    public SoaPoller(int queriesPerSecond, int maxInFlight) {
        this.inFlight = new Semaphore(maxInFlight);
        this.intervalNanos = TimeUnit.SECONDS.toNanos(1) / queriesPerSecond;
    }

    @Override
    public String name() {
        return "soa";
    }

    @Override
    public void start(CoreSink sink) {
        this.core = sink;
        query.onExtendedErrors(new EdeReports(sink));
        dispatcher = daemon(this::dispatch, "dns-oops-soa-dispatch");
        dispatcher.start();
    }

    /**
     * Starts the check at once on the caller's thread when nothing is queued, a slot is free and
     * the rate allows it: sending only hands the query to the SOA event loop, so the core is not
     * held up, and a NOTIFY's check skips a hand-over to the dispatcher thread (measured: that
     * thread took 13 % of a core at 44k checks/s). A TSIG-signed query is signed here too (an HMAC
     * of a hundred bytes). Otherwise the check waits in the queue for the dispatcher.
     */
    @Override
    public void requestCheck(CheckRequest request) {
        boolean slotGivenBack = false;
        if (core != null && queue.isEmpty() && inFlight.tryAcquire()) {
            if (takeRateSlot(false)) {
                start(request);
                return;
            }
            inFlight.release();
            slotGivenBack = true;
        }
        queue.add(request);
        int waits = dispatcherWaits;
        if (waits == WAITS_WORK || (slotGivenBack && waits == WAITS_SLOT)) LockSupport.unpark(dispatcher);
    }

    /**
     * Takes the rate's next slot: at once if it has come (false if {@code wait} is false and it
     * has not), else after parking until it comes. Credit for idle time is capped at {@link #BURST_NANOS}.
     */
    private boolean takeRateSlot(boolean wait) {
        while (true) {
            long next = nextSlot.get();
            long now = System.nanoTime();
            long slot = Math.max(next, now - BURST_NANOS);
            if (slot > now && !wait) return false;
            if (nextSlot.compareAndSet(next, slot + intervalNanos)) {
                // a wake-up meant for the dispatcher's other waits may end a park early: park again
                // (not after close(), whose interrupt would make every park return at once)
                for (long left = slot - now; left > 0 && running; left = slot - System.nanoTime()) {
                    LockSupport.parkNanos(left);
                }
                return true;
            }
        }
    }

    /**
     * Starts what waits in the queue when a slot is free and the rate allows. While every slot is
     * taken, finishing checks pass theirs on to the queue ({@link #passSlotOn}), so this thread
     * only sleeps and is woken when a slot is really given back.
     */
    private void dispatch() {
        while (running) {
            try {
                CheckRequest req = queue.pollFirst();
                if (req == null || !inFlight.tryAcquire()) {
                    if (req != null) queue.offerFirst(req);
                    // say what is awaited before looking once more, so a giver either is seen here or sees this
                    dispatcherWaits = req == null ? WAITS_WORK : WAITS_SLOT;
                    if (req == null ? queue.isEmpty() : inFlight.availablePermits() == 0) {
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(req == null ? 100 : 10));
                    }
                    dispatcherWaits = WAITS_NOTHING;
                    if (Thread.interrupted()) return;
                    continue;
                }
                takeRateSlot(true);
                start(req);
            } catch (RuntimeException e) {
                log.error("SOA dispatch failed", e);
            }
        }
    }

    /**
     * A check finished: its slot starts the next queued check right here (on the SOA event loop,
     * where sending is a write to its own queue) if the rate allows; otherwise it is given back
     * and the dispatcher woken. At full load this saves a wake-up of another thread per answer.
     */
    private void passSlotOn() {
        int[] depth = PASSING_ON.get();
        // A check that fails at once (no IPv6 socket...) finishes inside start(): passing its
        // slot on again from there would recurse once per queued zone.
        CheckRequest next = depth[0] == 0 ? queue.pollFirst() : null;
        if (next != null) {
            if (takeRateSlot(false)) {
                depth[0]++;
                try {
                    start(next);
                } finally {
                    depth[0]--;
                }
                return;
            }
            queue.offerFirst(next);
        }
        inFlight.release();
        if (dispatcherWaits == WAITS_SLOT) LockSupport.unpark(dispatcher);
    }

    /** Sends the check (a slot and the rate are taken); its result goes to the core. */
    private void start(CheckRequest req) {
        sent.incrementAndGet();
        long started = System.nanoTime();
        CompletionStage<CheckResult> check;
        try {
            check = query.check(req);
        } catch (RuntimeException e) { // a bug, not a network failure: the slot and the zone must not be lost
            check = CompletableFuture.failedFuture(e);
        }
        check.whenComplete((result, error) -> {
            CheckResult r = error == null ? result : CheckResult.failure(req.zone(), "internal error: " + error);
            if (!r.success()) failed.incrementAndGet();
            try {
                observer.checked(r, System.nanoTime() - started);
            } catch (RuntimeException e) {
                log.warn("check observer failed", e);
            }
            core.checkFinished(r);
            passSlotOn();
        });
    }

    /** What an observer of finished checks is told: the result and how long the check took. */
    @FunctionalInterface
    public interface CheckObserver {
        void checked(CheckResult result, long nanos);
    }

    /** Installs the one observer of finished checks (metrics); replaces any earlier one. */
    public void observe(CheckObserver o) {
        this.observer = o;
    }

    /** Reports SOA queries and answers of capturing zones (pcap/DSC) to {@code o}. */
    public void observeTraffic(TrafficObserver o) {
        query.observe(o);
    }

    public long checksStarted() {
        return sent.get();
    }

    public long checksFailed() {
        return failed.get();
    }

    /** Single UDP queries that got no answer in time (a check retries them; many mean a lossy or overloaded primary). */
    public long queryTimeouts() {
        return query.udpTimeouts();
    }

    public int queueDepth() {
        return queue.size();
    }

    @Override
    public Health health() {
        return Health.ok(sent.get() + " checks, " + failed.get() + " failed, " + queue.size() + " queued");
    }

    @Override
    public void close() {
        running = false;
        if (dispatcher != null) dispatcher.interrupt();
        callbacks.shutdownNow();
        query.close();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
