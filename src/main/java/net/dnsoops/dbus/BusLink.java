package net.dnsoops.dbus;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import net.dnsoops.core.Health;
import org.freedesktop.dbus.connections.IDisconnectCallback;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection to a bus that keeps itself alive. dbus-java has no reconnect: when the bus goes
 * away (restart, crash) this builds a new connection and runs {@link Session#open} again (request
 * names, export objects, add signal handlers). Everything happens on the link's own thread, so a
 * slow or absent bus never blocks the caller: {@link #submit} only queues. Work submitted while the
 * bus is down waits (bounded, oldest dropped) and runs once the session is open again.
 */
public final class BusLink implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BusLink.class);
    /** Unique names of every connection this process holds, so a listener can ignore its own emitters. */
    private static final java.util.Set<String> OWN = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** What to do on every fresh connection, and just before leaving. */
    public interface Session {
        void open(DBusConnection connection) throws Exception;

        default void closing(DBusConnection connection) {
        }
    }

    private final String label;
    private final String address;
    private final Duration retry;
    private final Duration settle;
    private final int maxPending;
    private final String deniedHint;
    private final Session session;
    private final ScheduledExecutorService thread;
    /** Only touched on the link thread. */
    private final Deque<Consumer<DBusConnection>> pending = new ArrayDeque<>();
    private DBusConnection connection;
    private String lastProblem = "";
    private long dropped;
    private boolean closing;
    private volatile Health health;

    /**
     * @param settle     wait this long after the session opened before running queued work: clients
     *                   that filter on a well-known sender miss signals sent right after it was acquired
     * @param deniedHint what to tell the operator when the bus refuses the session (e.g. the policy file)
     */
    public BusLink(String label, String address, Duration retry, Duration settle, int maxPending, String deniedHint,
                   Session session) {
        this.label = label;
        this.address = address;
        this.retry = retry;
        this.settle = settle;
        this.maxPending = maxPending;
        this.deniedHint = deniedHint;
        this.session = session;
        this.health = Health.degraded("connecting to " + address);
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dns-oops-dbus-" + label);
            t.setDaemon(true);
            return t;
        });
    }

    public void start() {
        thread.execute(this::connect);
    }

    /** Runs {@code work} on the link thread with an open session, now or after the next (re)connect. */
    public void submit(Consumer<DBusConnection> work) {
        try {
            thread.execute(() -> {
                if (connection != null) {
                    run(work);
                } else if (maxPending == 0) {
                    dropped++;
                } else {
                    if (pending.size() >= maxPending) {
                        pending.removeFirst();
                        dropped++;
                    }
                    pending.addLast(work);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed: nothing more goes out
        }
    }

    public Health health() {
        return health;
    }

    public String address() {
        return address;
    }

    private void connect() {
        if (closing || connection != null) return;
        DBusConnection c = null;
        Lost lost = new Lost();
        try {
            c = DBusConnectionBuilder.forAddress(address).withShared(false)
                    .withDisconnectCallback(lost).build();
            lost.connection = c;
            OWN.add(c.getUniqueName()); // before it owns any name, so a listener never takes it for someone else
            session.open(c);
        } catch (Exception e) {
            if (c != null) {
                OWN.remove(c.getUniqueName());
                c.disconnect();
            }
            String problem = describe(e);
            String same = problem.replaceAll(":\\d+\\.\\d+", ":N"); // each try has a new unique name
            if (!same.equals(lastProblem)) {
                if (denied(e)) {
                    log.error("D-Bus {}: {} (retrying every {} ms)", label, problem, retry.toMillis());
                } else {
                    log.warn("D-Bus {}: {} (retrying every {} ms)", label, problem, retry.toMillis());
                }
                lastProblem = same;
            } else {
                log.debug("D-Bus {}: still failing: {}", label, problem);
            }
            health = denied(e) ? Health.failed(problem) : Health.degraded(problem);
            thread.schedule(this::connect, retry.toMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        sleep(settle);
        connection = c;
        lastProblem = "";
        health = Health.ok("connected to " + address + " as " + c.getUniqueName());
        log.info("D-Bus {}: connected to {} as {}", label, address, c.getUniqueName());
        if (dropped > 0) {
            log.warn("D-Bus {}: {} queued signals were dropped while the bus was away", label, dropped);
            dropped = 0;
        }
        while (!pending.isEmpty() && connection != null) run(pending.removeFirst());
    }

    private void run(Consumer<DBusConnection> work) {
        DBusConnection c = connection;
        try {
            work.accept(c);
        } catch (RuntimeException e) {
            if (!c.isConnected()) {
                // The bus went away under us (the disconnect callback may still be on its way): keep the
                // work for the next connection instead of losing it.
                pending.addFirst(work);
                lost(c);
            } else {
                log.warn("D-Bus {}: sending failed: {}", label, e.toString());
            }
        }
    }

    /** Whether {@code uniqueName} (":1.42") is one of this process's own connections. */
    public static boolean isOwnConnection(String uniqueName) {
        return uniqueName != null && OWN.contains(uniqueName);
    }

    /** Called on the link thread when the bus dropped us. */
    private void lost(DBusConnection which) {
        if (closing || which != connection) return;
        connection = null;
        OWN.remove(which.getUniqueName());
        which.disconnect();
        health = Health.degraded("bus at " + address + " went away; reconnecting");
        log.warn("D-Bus {}: lost the bus at {}; reconnecting", label, address);
        thread.schedule(this::connect, Math.min(retry.toMillis(), 200), TimeUnit.MILLISECONDS);
    }

    /** dbus-java's disconnect callback for one connection; it runs on dbus-java's threads. */
    private final class Lost implements IDisconnectCallback {
        private volatile DBusConnection connection;

        @Override
        public void disconnectOnError(java.io.IOException e) {
            gone();
        }

        @Override
        public void exceptionOnTerminate(java.io.IOException e) {
            gone();
        }

        @Override
        public void requestedDisconnect(Integer connectionId) {
            // our own disconnect(): nothing to do
        }

        private void gone() {
            try {
                DBusConnection c = connection;
                if (c != null) thread.execute(() -> lost(c));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // closing
            }
        }
    }

    private String describe(Exception e) {
        if (denied(e)) return "the bus at " + address + " denied us: " + rootMessage(e) + ". " + deniedHint;
        return "cannot use the bus at " + address + ": " + rootMessage(e);
    }

    /** The bus policy said no (AccessDenied), as opposed to the bus being unreachable. */
    public static boolean denied(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String n = t.getClass().getName();
            String m = String.valueOf(t.getMessage());
            if (n.endsWith("AccessDenied") || m.contains("AccessDenied") || m.contains("not allowed to own")) {
                return true;
            }
            if (t.getCause() == t) break;
        }
        return false;
    }

    /** The first message in the cause chain that says something, skipping wrappers that only repeat their cause. */
    public static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t
                && (t.getMessage() == null || t.getMessage().equals(t.getCause().toString()))) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs the session's last words (bounded), then leaves the bus. */
    @Override
    public void close() {
        try {
            thread.submit(() -> {
                closing = true;
                if (connection != null) {
                    try {
                        session.closing(connection);
                    } catch (RuntimeException e) {
                        log.debug("D-Bus {}: closing: {}", label, e.toString());
                    }
                    OWN.remove(connection.getUniqueName());
                    connection.disconnect();
                    connection = null;
                }
            }).get(3, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("D-Bus {}: did not close cleanly: {}", label, e.toString());
        }
        thread.shutdownNow();
    }
}
