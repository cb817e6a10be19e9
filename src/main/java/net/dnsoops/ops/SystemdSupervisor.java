package net.dnsoops.ops;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The systemd side of the daemon's life (Type=notify): READY=1 once every zone has been checked
 * once (the first verification round), a STATUS= line, WATCHDOG=1 at half of WatchdogSec but
 * only while the core thread answers, RELOADING=1/READY=1 around a reload, STOPPING=1 on stop.
 */
public final class SystemdSupervisor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SystemdSupervisor.class);

    /** What the supervisor asks the daemon; each returns null when the core did not answer in time. */
    public interface Probe {
        /** True once the first verification round is done; null if the core does not answer. */
        Boolean firstRoundDone();

        /** A one-line status, e.g. "3 zones, 3 ready"; null if the core does not answer. */
        String status();
    }

    private final SystemdNotify notify;
    private final Probe probe;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "dns-oops-systemd");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean ready;
    private String lastStatus;

    public SystemdSupervisor(SystemdNotify notify, Probe probe) {
        this.notify = notify;
        this.probe = probe;
    }

    /** Starts the readiness poll and, when $WATCHDOG_USEC is set for this process, the watchdog. */
    public void start(Map<String, String> env) {
        timer.scheduleWithFixedDelay(this::checkReady, 0, 200, TimeUnit.MILLISECONDS);
        watchdogInterval(env).ifPresent(every -> {
            log.info("systemd watchdog: pinging every {} ms", every.toMillis());
            timer.scheduleAtFixedRate(this::watchdog, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        });
    }

    /** Half of $WATCHDOG_USEC, if it is set and meant for this process ($WATCHDOG_PID). */
    static java.util.Optional<Duration> watchdogInterval(Map<String, String> env) {
        String usec = env.get("WATCHDOG_USEC");
        if (usec == null) return java.util.Optional.empty();
        String pid = env.get("WATCHDOG_PID");
        if (pid != null && !pid.equals(Long.toString(ProcessHandle.current().pid()))) return java.util.Optional.empty();
        try {
            long us = Long.parseLong(usec.trim());
            return us <= 0 ? java.util.Optional.empty() : java.util.Optional.of(Duration.ofNanos(us * 500));
        } catch (NumberFormatException e) {
            return java.util.Optional.empty();
        }
    }

    private void checkReady() {
        Boolean done = probe.firstRoundDone();
        String status = probe.status();
        if (!ready && Boolean.TRUE.equals(done)) {
            ready = true;
            notify.send("READY=1\nSTATUS=" + (status == null ? "ready" : status));
            log.info("systemd: READY=1 (first verification round done)");
            lastStatus = status;
        } else if (ready && status != null && !status.equals(lastStatus)) {
            notify.send("STATUS=" + status);
            lastStatus = status;
        }
    }

    private void watchdog() {
        // Only a live core thread earns a ping: if it hangs, systemd restarts us.
        if (probe.status() != null) notify.send("WATCHDOG=1");
        else log.warn("systemd watchdog: core thread did not answer; not pinging");
    }

    /** Wraps a reload in RELOADING=1 / READY=1 (systemd's Type=notify-reload protocol, harmless for notify). */
    public <T> T reloading(Supplier<T> reload) {
        notify.send("RELOADING=1\nMONOTONIC_USEC=" + monotonicMicros());
        try {
            return reload.get();
        } finally {
            notify.send("READY=1");
        }
    }

    /** CLOCK_MONOTONIC in microseconds (System.nanoTime uses it on Linux). */
    private static long monotonicMicros() {
        return System.nanoTime() / 1000;
    }

    public void stopping() {
        notify.send("STOPPING=1\nSTATUS=stopping");
    }

    @Override
    public void close() {
        timer.shutdownNow();
        notify.close();
    }
}
