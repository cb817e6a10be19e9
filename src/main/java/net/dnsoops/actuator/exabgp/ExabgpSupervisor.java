package net.dnsoops.actuator.exabgp;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fail-safe of pipe mode: dns-oops runs ExaBGP as its child through
 * {@code setpriv --pdeathsig TERM}, so the kernel stops ExaBGP when dns-oops dies for any
 * reason, SIGKILL included, and ExaBGP's sessions, and with them the routes, go away. ExaBGP on
 * its own keeps API routes when its API client dies, which is why this exists.
 *
 * <p>The parent-death signal is tied to the thread that started the child, so one long-lived
 * thread of its own starts (and restarts) ExaBGP. A singleton per process: a config reload keeps
 * the same ExaBGP and its sessions.
 */
final class ExabgpSupervisor {
    private static final Logger log = LoggerFactory.getLogger(ExabgpSupervisor.class);
    private static ExabgpSupervisor instance;

    private final List<String> argv;
    private final Thread thread;
    private volatile Process process;
    private volatile boolean stopping;

    private ExabgpSupervisor(List<String> command) {
        List<String> a = new ArrayList<>(List.of("setpriv", "--pdeathsig", "TERM", "--"));
        a.addAll(command);
        this.argv = List.copyOf(a);
        this.thread = new Thread(this::run, "dns-oops-exabgp-supervisor");
        this.thread.setDaemon(true);
    }

    static synchronized ExabgpSupervisor get(List<String> command) {
        if (instance == null) {
            instance = new ExabgpSupervisor(command);
            instance.thread.start();
        } else if (!instance.argv.subList(4, instance.argv.size()).equals(command)) {
            log.warn("exabgp: \"supervise\" changed; restart dns-oops to apply it");
        }
        return instance;
    }

    /** Waits briefly for the first start; the converge that follows retries if ExaBGP is slow. */
    void ensureRunning() throws InterruptedException {
        for (int i = 0; i < 50 && (process == null || !process.isAlive()) && !stopping; i++) Thread.sleep(10);
    }

    private void run() {
        long backoff = 500;
        while (!stopping) {
            try {
                ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true)
                        // ExaBGP's log joins ours on stderr; our stdout stays clean
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(new java.io.File("/dev/stderr")))
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
                process = pb.start();
                log.info("exabgp: started supervised ExaBGP, pid {}: {}", process.pid(), String.join(" ", argv));
                long t0 = System.nanoTime();
                int code = process.waitFor();
                if (stopping) break;
                log.error("exabgp: supervised ExaBGP exited with {}; restarting", code);
                backoff = System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(30) ? 500 : Math.min(backoff * 2, 30_000);
                Thread.sleep(backoff);
            } catch (IOException e) {
                log.error("exabgp: cannot start {}: {}", argv, e.getMessage());
                try {
                    Thread.sleep(backoff = Math.min(backoff * 2, 30_000));
                } catch (InterruptedException ie) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** At shutdown, after the routes were withdrawn: stop ExaBGP (SIGTERM, then SIGKILL). */
    void stop() {
        stopping = true;
        Process p = process;
        if (p == null) return;
        p.destroy();
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) p.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
