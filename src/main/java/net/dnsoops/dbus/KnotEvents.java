package net.dnsoops.dbus;

import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.annotations.DBusMemberName;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.types.UInt32;

/**
 * Knot DNS's D-Bus interface ({@code server.dbus-event}), exactly as knotd emits it: bus name
 * {@code cz.nic.knotd}, path {@code /cz/nic/knotd}, signals only. Shared by the Knot-compatible
 * emitter (which sends these) and the Knot listener (which receives them): it is the protocol, not
 * either component. Accessors avoid {@code getSerial()}, which would clash with DBusMessage's.
 */
@DBusInterfaceName(KnotEvents.INTERFACE)
public interface KnotEvents extends DBusInterface {
    String BUS_NAME = "cz.nic.knotd";
    String PATH = "/cz/nic/knotd";
    String INTERFACE = "cz.nic.knotd.events";

    /** {@code started()}: the server is up. */
    @DBusMemberName("started")
    final class Started extends DBusSignal {
        public Started(String path) throws DBusException {
            super(path);
        }
    }

    /** {@code stopped()}: the server is going down. */
    @DBusMemberName("stopped")
    final class Stopped extends DBusSignal {
        public Stopped(String path) throws DBusException {
            super(path);
        }
    }

    /** {@code zone_updated(s zone, u serial)}: zone with trailing dot; also sent at the first load. */
    @DBusMemberName("zone_updated")
    final class ZoneUpdated extends DBusSignal {
        private final String zone;
        private final UInt32 zoneSerial;

        public ZoneUpdated(String path, String zone, UInt32 zoneSerial) throws DBusException {
            super(path, zone, zoneSerial);
            this.zone = zone;
            this.zoneSerial = zoneSerial;
        }

        public String zone() {
            return zone;
        }

        public long zoneSerial() {
            return zoneSerial.longValue();
        }
    }
}
