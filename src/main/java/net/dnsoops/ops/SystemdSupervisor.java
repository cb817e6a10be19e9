package net.dnsoops.ops;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import net.dnsoops.core.Readiness;
import net.dnsoops.core.ZoneState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The systemd side of the daemon's life (Type=notify): READY=1 once every zone has been checked
 * once (the first verification round: the daemon can signal, whatever it found), a STATUS= line
 * that says which services are not ready and why ({@link Readiness#summary()}, the rule
 * /health/services and {@code dns-oops status} use), WATCHDOG=1 at half of WatchdogSec but
 * only while the core thread answers, RELOADING=1/READY=1 around a reload, STOPPING=1 on stop.
 */
public final class SystemdSupervisor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SystemdSupervisor.class);

    /** What the supervisor asks the daemon. */
    public interface Probe {
        /** Zones by state and the services' verdicts; null if the core did not answer in time. */
        Readiness readiness();
    }

    /** While the first round makes progress, each extension gives it this much more time to finish. */
    static final Duration START_EXTENSION = Duration.ofSeconds(60);
    /** At most one extension per this interval. */
    private static final long EXTEND_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** After READY=1 the STATUS line is looked at every this many readiness ticks (a second). */
    private static final int STATUS_EVERY_TICKS = 5;

    private final SystemdNotify notify;
    private final Probe probe;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "dns-oops-systemd");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean ready;
    private String lastStatus;
    /** Zones not yet checked at the previous tick of the first round; -1 before the first. */
    private int lastPending = -1;
    private long lastExtendNanos = System.nanoTime() - EXTEND_EVERY_NANOS;
    private int ticks;

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

    /**
     * Every 200 ms until READY=1, then every second for the STATUS line. A first round longer than
     * TimeoutStartSec (a million zones at 500 SOA queries a second take half an hour) would make
     * systemd give up and restart the daemon for ever: while zones keep being checked, each tick
     * that saw progress extends the start timeout (EXTEND_TIMEOUT_USEC, systemd 236 and later). A
     * round that stops making progress gets no more time.
     */
    private void checkReady() {
        if (ready && ++ticks % STATUS_EVERY_TICKS != 0) return;
        Readiness r = probe.readiness();
        if (r == null) return;
        Map<ZoneState, Integer> states = r.zones();
        int zones = r.zoneCount();
        int pending = states.get(ZoneState.PENDING);
        String status = r.summary();
        if (!ready && pending == 0) {
            ready = true;
            notify.send("READY=1\nSTATUS=" + status);
            log.info("systemd: READY=1 (first verification round done)");
            lastStatus = status;
        } else if (!ready) {
            long now = System.nanoTime();
            if (lastPending >= 0 && pending < lastPending && now - lastExtendNanos >= EXTEND_EVERY_NANOS) {
                notify.send("EXTEND_TIMEOUT_USEC=" + START_EXTENSION.toNanos() / 1000 + "\nSTATUS=first round: "
                        + (zones - pending) + " of " + zones + " zones checked");
                lastExtendNanos = now;
            }
            lastPending = pending; // a reload adding zones raises it; what counts is falling from tick to tick
        } else if (!status.equals(lastStatus)) {
            notify.send("STATUS=" + status);
            lastStatus = status;
        }
    }

    private void watchdog() {
        // Only a live core thread earns a ping: if it hangs, systemd restarts us.
        if (probe.readiness() != null) notify.send("WATCHDOG=1");
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
