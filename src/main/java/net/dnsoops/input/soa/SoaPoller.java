package net.dnsoops.input.soa;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
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
 * Errors in the answers go to the core as well ({@link EdeReports}).
 */
public final class SoaPoller implements Input, CheckRequester {
    private static final Logger log = LoggerFactory.getLogger(SoaPoller.class);
    /** Credit that may build up while idle: a short burst is fine, a flood is not. */
    private static final long BURST_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final LinkedBlockingQueue<CheckRequest> queue = new LinkedBlockingQueue<>();
    private final Semaphore inFlight;
    private final long intervalNanos;
    private final ExecutorService callbacks = Executors.newSingleThreadExecutor(r -> daemon(r, "dns-oops-soa-answers"));
    private final SoaQuery query = new SoaQuery(callbacks);
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile CoreSink core;
    /** Told of every finished check with its duration (for the ops latency histogram). */
    private volatile CheckObserver observer = (r, nanos) -> { };
    private volatile boolean running = true;
    private Thread dispatcher;

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

    @Override
    public void requestCheck(CheckRequest request) {
        queue.add(request);
    }

    private void dispatch() {
        long next = System.nanoTime();
        while (running) {
            try {
                CheckRequest req = queue.take();
                inFlight.acquire();
                long now = System.nanoTime();
                long slot = Math.max(next, now - BURST_NANOS);
                if (slot > now) LockSupport.parkNanos(slot - now);
                next = slot + intervalNanos;
                sent.incrementAndGet();
                long started = System.nanoTime();
                query.check(req).whenComplete((result, error) -> {
                    inFlight.release();
                    CheckResult r = error == null ? result
                            : CheckResult.failure(req.zone(), "internal error: " + error);
                    if (!r.success()) failed.incrementAndGet();
                    try {
                        observer.checked(r, System.nanoTime() - started);
                    } catch (RuntimeException e) {
                        log.warn("check observer failed", e);
                    }
                    core.checkFinished(r);
                });
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.error("SOA dispatch failed", e);
            }
        }
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
