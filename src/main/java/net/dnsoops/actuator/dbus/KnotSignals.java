package net.dnsoops.actuator.dbus;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import net.dnsoops.core.Condition;
import net.dnsoops.dbus.KnotEvents;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.types.UInt32;

/**
 * Which condition becomes which of Knot's signals, as knotd would send them: {@code started} when the
 * bridge starts, {@code stopped} when it stops, {@code zone_updated} at a zone's first verified load
 * (zone-ready) and at every newer verified serial (zone-updated). Knot sends nothing else, so neither
 * does this profile. Not thread-safe: used on the core thread only.
 */
final class KnotSignals {
    /** Last serial announced per zone, so zone-ready and zone-updated for one check give one signal. */
    private final Map<String, Long> announced = new HashMap<>();

    Optional<DBusSignal> signalFor(Condition c) {
        try {
            return Optional.ofNullable(switch (c.type()) {
                case BRIDGE_STARTED -> c.raised() ? new KnotEvents.Started(KnotEvents.PATH) : null;
                case BRIDGE_STOPPING -> c.raised() ? new KnotEvents.Stopped(KnotEvents.PATH) : null;
                case ZONE_READY, ZONE_UPDATED -> zoneUpdated(c);
                default -> null;
            });
        } catch (DBusException e) {
            throw new IllegalStateException("cannot build Knot signal for " + c, e);
        }
    }

    private DBusSignal zoneUpdated(Condition c) throws DBusException {
        if (!c.raised() || c.zone() == null || c.serial() < 0) return null;
        Long last = announced.put(c.zone(), c.serial());
        if (last != null && last == c.serial()) return null;
        return new KnotEvents.ZoneUpdated(KnotEvents.PATH, c.zone(), new UInt32(c.serial()));
    }
}
