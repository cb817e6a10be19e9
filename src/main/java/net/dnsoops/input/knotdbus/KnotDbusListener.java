package net.dnsoops.input.knotdbus;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import net.dnsoops.config.ConfigValues;
import net.dnsoops.core.Admission;
import net.dnsoops.core.CoreSink;
import net.dnsoops.core.Health;
import net.dnsoops.core.Input;
import net.dnsoops.dbus.BusAddresses;
import net.dnsoops.dbus.BusLink;
import net.dnsoops.dbus.KnotEvents;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.interfaces.DBus;
import org.freedesktop.dbus.messages.DBusSignal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;

/**
 * Input "knot-dbus": Knot DNS's own D-Bus signals from {@code cz.nic.knotd}.
 * {@code zone_updated(s, u)} feeds the core like a NOTIFY from this host (so the zone is verified by
 * its SOA query), or, with "trust-serial", as an already verified serial; {@code started} and
 * {@code stopped}, and knotd leaving the bus, become server-up / server-down. Signals sent by this
 * very process (its Knot-compatible emitter owning the name) are ignored, so the two never loop.
 * Handlers hand work to one worker thread, so the bus calls made there never block dbus-java.
 */
public final class KnotDbusListener implements Input {
    private static final Logger log = LoggerFactory.getLogger(KnotDbusListener.class);
    /** The D-Bus system bus is local: a zone_updated is news from a server on this host. */
    static final InetAddress LOCALHOST = InetAddress.getLoopbackAddress();
    static final String SOURCE = KnotEvents.BUS_NAME;

    private final KnotDbusConfig config;
    /** Handlers do their work here: never on dbus-java's threads, which a call to the bus would block. */
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "dns-oops-knot-dbus");
        t.setDaemon(true);
        return t;
    });
    private BusLink link;
    private CoreSink core;
    private volatile DBusConnection connection;
    /** Unique name of knotd's connection while it is known to be up (only touched on the worker). */
    private String knotOwner;

    public KnotDbusListener(KnotDbusConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "knot-dbus";
    }

    @Override
    public void start(CoreSink core) {
        this.core = core;
        link = new BusLink("knot-listener", BusAddresses.resolve(config.address), config.reconnectInterval,
                Duration.ZERO, 0, "Check the bus policy for receiving from cz.nic.knotd.", this::subscribe);
        link.start();
    }

    private void subscribe(DBusConnection c) throws Exception {
        connection = c;
        c.addSigHandler(KnotEvents.ZoneUpdated.class, s -> worker.execute(() -> zoneUpdated(s)));
        c.addSigHandler(KnotEvents.Started.class, s -> worker.execute(() -> server(s, true, "started")));
        c.addSigHandler(KnotEvents.Stopped.class, s -> worker.execute(() -> server(s, false, "stopped")));
        c.addSigHandler(DBus.NameOwnerChanged.class, s -> {
            if (KnotEvents.BUS_NAME.equals(s.name) && s.newOwner.isEmpty()) {
                worker.execute(() -> left(s.oldOwner));
            }
        });
        log.info("listening for Knot's D-Bus signals from {} on {}", KnotEvents.BUS_NAME, link.address());
        worker.execute(this::alreadyRunning);
    }

    /**
     * On (re)connecting: a knotd that is on the bus already said started before we listened, so say
     * server-up now. After a bus restart the old owner is gone from the bus and forgotten.
     */
    private void alreadyRunning() {
        knotOwner = null;
        DBusConnection c = connection;
        try {
            DBus bus = c.getRemoteObject("org.freedesktop.DBus", "/org/freedesktop/DBus", DBus.class);
            String owner = bus.GetNameOwner(KnotEvents.BUS_NAME);
            if (owner == null || BusLink.isOwnConnection(owner)) return;
            knotOwner = owner;
            core.serverEvent(SOURCE, true, "knotd is on the bus");
        } catch (RuntimeException | org.freedesktop.dbus.exceptions.DBusException e) {
            // no owner: knotd is not running (or not emitting); its started() will tell
        }
    }

    private void zoneUpdated(KnotEvents.ZoneUpdated s) {
        if (!fromKnot(s)) return;
        knotOwner = s.getSource();
        Name zone;
        try {
            zone = ConfigValues.zoneName(s.zone());
        } catch (IllegalArgumentException e) {
            log.warn("knot-dbus: zone_updated with a bad zone name '{}': {}", s.zone(), e.getMessage());
            return;
        }
        if (core.admitNotify(zone, LOCALHOST, null) == Admission.NOT_CONFIGURED) {
            log.debug("knot-dbus: zone_updated for {} (not configured here), ignored", zone);
            return;
        }
        // The bus policy, not allow-notify, decides who may send this: only knotd can own cz.nic.knotd.
        if (config.trustSerial) {
            log.info("knot-dbus: zone_updated {} serial {} (trusted)", zone, s.zoneSerial());
            core.serialAnnounced(zone, s.zoneSerial(), SOURCE);
        } else {
            log.info("knot-dbus: zone_updated {} serial {}; verifying by SOA query", zone, s.zoneSerial());
            core.notifyReceived(zone, LOCALHOST, "dbus");
        }
    }

    private void server(DBusSignal s, boolean up, String what) {
        if (!fromKnot(s)) return;
        knotOwner = up ? s.getSource() : null;
        core.serverEvent(SOURCE, up, "knotd " + what);
    }

    private void left(String oldOwner) {
        if (oldOwner == null || !oldOwner.equals(knotOwner)) return; // already said stopped, or never up
        knotOwner = null;
        core.serverEvent(SOURCE, false, "knotd left the bus without saying stopped");
    }

    /**
     * Whether a signal on Knot's interface comes from knotd: not from one of this process's own
     * connections (its Knot-compatible emitter), and from the current owner of cz.nic.knotd. When the
     * name has no owner any more (stopped is often knotd's last word) the knotd we knew is accepted.
     */
    private boolean fromKnot(DBusSignal s) {
        DBusConnection c = connection;
        String sender = s.getSource();
        if (c == null || sender == null || BusLink.isOwnConnection(sender)) return false;
        try {
            DBus bus = c.getRemoteObject("org.freedesktop.DBus", "/org/freedesktop/DBus", DBus.class);
            return sender.equals(bus.GetNameOwner(KnotEvents.BUS_NAME));
        } catch (RuntimeException | org.freedesktop.dbus.exceptions.DBusException e) {
            return knotOwner == null || sender.equals(knotOwner);
        }
    }

    @Override
    public Health health() {
        return link == null ? Health.degraded("not started") : link.health();
    }

    @Override
    public void close() {
        if (link != null) link.close();
        worker.shutdownNow();
    }
}
