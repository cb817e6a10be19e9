package net.dnsoops.input.probe;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.dnsoops.core.Health;
import net.dnsoops.dbus.BusLink;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.interfaces.Properties;

/**
 * Reads systemd units' ActiveState over D-Bus: Manager.LoadUnit → the unit's object path →
 * Properties.Get("org.freedesktop.systemd1.Unit", "ActiveState"). One connection per bus, kept
 * alive by {@link BusLink}; a read that the bus does not answer in time is "unknown", not a state.
 */
final class SystemdUnits implements AutoCloseable {
    private final BusLink link;

    SystemdUnits(String address) {
        // maxPending 0: a read asked while the bus is away is dropped, its caller times out.
        link = new BusLink("systemd", address, Duration.ofSeconds(1), Duration.ZERO, 0,
                "Check the bus policy for org.freedesktop.systemd1 (systemd's own allows LoadUnit and Properties.Get to every user).",
                c -> { });
        link.start();
    }

    /** The unit's ActiveState ("active", "deactivating", "inactive", "failed", ...), or empty if unknown; why is in {@code problem}. */
    Optional<String> activeState(String unit, Duration timeout, StringBuilder problem) {
        CompletableFuture<String> state = new CompletableFuture<>();
        link.submit(c -> {
            try {
                SystemdManager m = c.getRemoteObject(SystemdManager.BUS_NAME, SystemdManager.PATH, SystemdManager.class);
                DBusPath path = m.loadUnit(unit);
                Properties p = c.getRemoteObject(SystemdManager.BUS_NAME, path.getPath(), Properties.class);
                Object v = p.Get(SystemdManager.UNIT_INTERFACE, "ActiveState");
                state.complete(String.valueOf(v));
            } catch (Exception e) {
                state.completeExceptionally(e);
            }
        });
        try {
            return Optional.of(state.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            problem.append("no answer from systemd in ").append(timeout.toMillis()).append(" ms (").append(link.health().detail()).append(')');
        } catch (ExecutionException e) {
            problem.append("systemd: ").append(BusLink.rootMessage(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problem.append("interrupted");
        }
        return Optional.empty();
    }

    Health health() {
        return link.health();
    }

    @Override
    public void close() {
        link.close();
    }
}
