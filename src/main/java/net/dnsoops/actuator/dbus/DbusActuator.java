package net.dnsoops.actuator.dbus;

import java.util.ArrayList;
import java.util.List;
import net.dnsoops.core.Actuator;
import net.dnsoops.core.Condition;
import net.dnsoops.core.Health;
import net.dnsoops.core.StateView;
import net.dnsoops.dbus.BusAddresses;
import net.dnsoops.dbus.BusLink;
import net.dnsoops.dbus.KnotEvents;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.DBus;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.messages.DBusSignal;

/**
 * D-Bus signals for conditions (config "dbus"), in two profiles that can run together, each on its
 * own connection so that a refused name in one does not silence the other:
 * <ul>
 *   <li>Knot-compatible: owns {@code cz.nic.knotd} and emits Knot's own signals, so an NSD or BIND
 *       host looks like a Knot host to existing consumers;</li>
 *   <li>native: owns {@code net.dnsoops}, emits every condition and answers state questions.</li>
 * </ul>
 * {@link #apply} runs on the core thread: it only builds the signal and queues it to the link's
 * thread. A bus that is away or refuses the name never reaches the core or the NOTIFY listener.
 */
public final class DbusActuator implements Actuator {
    static final String KNOT_POLICY = "conf/dbus/cz.nic.knotd-dns-oops.conf";
    static final String NATIVE_POLICY = "conf/dbus/net.dnsoops.conf";

    private final BusLink knot;
    private final BusLink nativeLink;
    private final KnotSignals knotSignals = new KnotSignals();

    public DbusActuator(DbusConfig config, StateView state) {
        String address = BusAddresses.resolve(config.address);
        knot = config.knotProfile ? new BusLink("knot", address, config.reconnectInterval, config.signalDelay,
                config.maxQueued, hint(KnotEvents.BUS_NAME, KNOT_POLICY), c -> own(c, KnotEvents.BUS_NAME)) : null;
        nativeLink = config.nativeProfile ? new BusLink("native", address, config.reconnectInterval,
                config.signalDelay, config.maxQueued, hint(NativeBridge.BUS_NAME, NATIVE_POLICY), c -> {
                    c.exportObject(NativeBridge.PATH, new NativeObject(state));
                    own(c, NativeBridge.BUS_NAME);
                }) : null;
    }

    /** RequestName flags: let a later dns-oops take over (reload), take over from an earlier one, never queue. */
    static final int NAME_FLAGS = 0x1 | 0x2 | 0x4;

    /**
     * Requests {@code name} so that a SIGHUP reload hands it over at once: each connection allows
     * replacement and replaces a previous holder that allowed it (the old dns-oops emitter). knotd does
     * not allow replacement, so it is never pushed aside; that case is reported as a taken name.
     */
    private static void own(DBusConnection c, String name) throws DBusException {
        DBus bus = c.getRemoteObject("org.freedesktop.DBus", "/org/freedesktop/DBus", DBus.class);
        int reply;
        try {
            reply = bus.RequestName(name, new UInt32(NAME_FLAGS)).intValue();
        } catch (DBusExecutionException e) {
            throw new DBusException(e.getMessage(), e); // e.g. AccessDenied by the bus policy
        }
        if (reply != 1 && reply != 4) { // 1: now the primary owner, 4: already was
            throw new DBusException(name + " is owned by another connection that does not give it up (knotd"
                    + " itself?); RequestName answered " + reply);
        }
    }

    private static String hint(String name, String policy) {
        return "To let dns-oops own " + name + ", install " + policy + " as /etc/dbus-1/system.d/"
                + policy.substring(policy.lastIndexOf('/') + 1) + " (it allows the user dns-oops), run dns-oops as"
                + " that user, and reload the bus (dbus-send --system --print-reply --type=method_call"
                + " --dest=org.freedesktop.DBus / org.freedesktop.DBus.ReloadConfig). If the name is taken,"
                + " another program (knotd?) owns it. NOTIFY handling goes on meanwhile.";
    }

    @Override
    public String name() {
        return "dbus";
    }

    @Override
    public void start() {
        if (knot != null) knot.start();
        if (nativeLink != null) nativeLink.start();
    }

    @Override
    public void apply(Condition c) {
        if (knot != null) knotSignals.signalFor(c).ifPresent(s -> send(knot, s));
        DBusSignal nativeSignal = nativeLink == null ? null : NativeSignals.signalFor(c);
        if (nativeSignal != null) send(nativeLink, nativeSignal);
    }

    private static void send(BusLink link, DBusSignal signal) {
        link.submit((DBusConnection conn) -> conn.sendMessage(signal));
    }

    @Override
    public Health health() {
        List<String> parts = new ArrayList<>();
        Health.Status worst = Health.Status.OK;
        for (BusLink l : new BusLink[] {knot, nativeLink}) {
            if (l == null) continue;
            Health h = l.health();
            parts.add((l == knot ? "knot: " : "native: ") + h.detail());
            if (h.status().ordinal() > worst.ordinal()) worst = h.status();
        }
        return new Health(worst, String.join("; ", parts));
    }

    /** Sends what is queued (bridge-stopping: Knot's stopped), then leaves the bus. */
    @Override
    public void close() {
        if (knot != null) knot.close();
        if (nativeLink != null) nativeLink.close();
    }
}
