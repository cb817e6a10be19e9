package net.dnsoops.actuator.dbus;

import java.util.List;
import org.freedesktop.dbus.Struct;
import org.freedesktop.dbus.annotations.DBusBoundProperty;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.annotations.DBusMemberName;
import org.freedesktop.dbus.annotations.DBusProperty.Access;
import org.freedesktop.dbus.annotations.Position;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.types.UInt32;

/**
 * dns-oops's own D-Bus interface (native profile): bus name {@code net.dnsoops}, object
 * {@code /net/dnsoops}, interface {@code net.dnsoops.Bridge}. One signal per condition, read-only
 * methods and properties for the current state. The XML is in docs/dbus.md; keep both in step.
 * Serials are {@code u} (RFC 1982 serials are 32-bit); times are epoch milliseconds, -1 for none.
 */
@DBusInterfaceName(NativeBridge.INTERFACE)
public interface NativeBridge extends DBusInterface {
    String BUS_NAME = "net.dnsoops";
    String PATH = "/net/dnsoops";
    String INTERFACE = "net.dnsoops.Bridge";

    /** Every configured zone, sorted by name. */
    @DBusMemberName("GetZones")
    List<ZoneInfo> zones();

    /** One zone ("example.com." or "example.com"); error {@link UnknownZone} if it is not configured. */
    @DBusMemberName("GetZone")
    ZoneInfo zone(String zone);

    /** Every service (zone group), sorted by name. */
    @DBusMemberName("GetServices")
    List<ServiceInfo> services();

    @DBusBoundProperty(name = "Version", access = Access.READ)
    String getVersion();

    @DBusBoundProperty(name = "ZoneCount", access = Access.READ)
    UInt32 getZoneCount();

    @DBusBoundProperty(name = "ReadyZoneCount", access = Access.READ)
    UInt32 getReadyZoneCount();

    /** True when every service is ready. */
    @DBusBoundProperty(name = "Ready", access = Access.READ)
    boolean getReady();

    /** A zone as {@code GetZones} returns it: (sssxxxxxiss). */
    final class ZoneInfo extends Struct {
        @Position(0) public final String zone;
        @Position(1) public final String service;
        /** pending, failing, ready, refresh-failing, expiring or expired (as HTTP, MQTT and hooks spell it). */
        @Position(2) public final String state;
        /** Last verified serial, -1 before the first. */
        @Position(3) public final long serial;
        @Position(4) public final long lastSuccessMs;
        @Position(5) public final long lastCheckMs;
        @Position(6) public final long nextCheckMs;
        @Position(7) public final long expireAtMs;
        @Position(8) public final int consecutiveFailures;
        @Position(9) public final String lastFailure;
        @Position(10) public final String lastNotifier;

        public ZoneInfo(String zone, String service, String state, long serial, long lastSuccessMs, long lastCheckMs,
                        long nextCheckMs, long expireAtMs, int consecutiveFailures, String lastFailure,
                        String lastNotifier) {
            this.zone = zone;
            this.service = service;
            this.state = state;
            this.serial = serial;
            this.lastSuccessMs = lastSuccessMs;
            this.lastCheckMs = lastCheckMs;
            this.nextCheckMs = nextCheckMs;
            this.expireAtMs = expireAtMs;
            this.consecutiveFailures = consecutiveFailures;
            this.lastFailure = lastFailure;
            this.lastNotifier = lastNotifier;
        }
    }

    /** A service as {@code GetServices} returns it: (siiibs); reason: why not ready, empty when ready. */
    final class ServiceInfo extends Struct {
        @Position(0) public final String service;
        @Position(1) public final int zones;
        @Position(2) public final int readyZones;
        @Position(3) public final int attemptedZones;
        @Position(4) public final boolean ready;
        @Position(5) public final String reason;

        public ServiceInfo(String service, int zones, int readyZones, int attemptedZones, boolean ready, String reason) {
            this.reason = reason;
            this.service = service;
            this.zones = zones;
            this.readyZones = readyZones;
            this.attemptedZones = attemptedZones;
            this.ready = ready;
        }
    }

    /**
     * D-Bus error for a zone that is not configured. dbus-java names errors after the class:
     * {@code net.dnsoops.actuator.dbus.NativeBridge.UnknownZone}.
     */
    final class UnknownZone extends DBusExecutionException {
        public UnknownZone(String message) {
            super(message);
        }
    }

    // ---- signals: one per condition; "raised" is false when a condition stops holding ----

    /** zone-ready. */
    final class ZoneReady extends DBusSignal {
        public ZoneReady(String path, String zone, String service, boolean raised, UInt32 zoneSerial)
                throws DBusException {
            super(path, zone, service, raised, zoneSerial);
        }
    }

    /** zone-updated (an event): the verified serial, the one before, and who notified. */
    final class ZoneUpdated extends DBusSignal {
        public ZoneUpdated(String path, String zone, String service, UInt32 zoneSerial, UInt32 oldSerial,
                           String source) throws DBusException {
            super(path, zone, service, zoneSerial, oldSerial, source);
        }
    }

    /** zone-refresh-failed, with the last failure. */
    final class ZoneRefreshFailed extends DBusSignal {
        public ZoneRefreshFailed(String path, String zone, String service, boolean raised, String detail)
                throws DBusException {
            super(path, zone, service, raised, detail);
        }
    }

    /** zone-expiring. */
    final class ZoneExpiring extends DBusSignal {
        public ZoneExpiring(String path, String zone, String service, boolean raised, String detail)
                throws DBusException {
            super(path, zone, service, raised, detail);
        }
    }

    /** zone-expired. */
    final class ZoneExpired extends DBusSignal {
        public ZoneExpired(String path, String zone, String service, boolean raised, String detail)
                throws DBusException {
            super(path, zone, service, raised, detail);
        }
    }

    /** zone-recovered (an event). */
    final class ZoneRecovered extends DBusSignal {
        public ZoneRecovered(String path, String zone, String service, UInt32 zoneSerial) throws DBusException {
            super(path, zone, service, zoneSerial);
        }
    }

    /** service-ready. */
    final class ServiceReady extends DBusSignal {
        public ServiceReady(String path, String service, boolean raised) throws DBusException {
            super(path, service, raised);
        }
    }

    /** service-not-ready. */
    final class ServiceNotReady extends DBusSignal {
        public ServiceNotReady(String path, String service, boolean raised, String detail) throws DBusException {
            super(path, service, raised, detail);
        }
    }

    /** bridge-started. */
    final class BridgeStarted extends DBusSignal {
        public BridgeStarted(String path, boolean raised) throws DBusException {
            super(path, raised);
        }
    }

    /** bridge-stopping. */
    final class BridgeStopping extends DBusSignal {
        public BridgeStopping(String path, boolean raised) throws DBusException {
            super(path, raised);
        }
    }

    /** draining: an operator withdrew this site's routes ("dns-oops drain"); cleared by undrain. */
    final class Draining extends DBusSignal {
        public Draining(String path, boolean raised) throws DBusException {
            super(path, raised);
        }
    }

    /** server-up (an event): a name server (e.g. "cz.nic.knotd") announced it started. */
    final class ServerUp extends DBusSignal {
        public ServerUp(String path, String server, String detail) throws DBusException {
            super(path, server, detail);
        }
    }

    /** server-down (an event): a name server stopped or left the bus. */
    final class ServerDown extends DBusSignal {
        public ServerDown(String path, String server, String detail) throws DBusException {
            super(path, server, detail);
        }
    }

    /** dnssec-expiring (issue 10): an RRset's signatures expire within the warning period; time-left in seconds. */
    final class DnssecExpiring extends DBusSignal {
        public DnssecExpiring(String path, String zone, String server, boolean raised, String owner, String type,
                              long timeLeft) throws DBusException {
            super(path, zone, server, raised, owner, type, timeLeft);
        }
    }

    /** dnssec-expired (issue 10): an RRset's signatures have expired. */
    final class DnssecExpired extends DBusSignal {
        public DnssecExpired(String path, String zone, String server, boolean raised, String owner, String type,
                             long timeLeft) throws DBusException {
            super(path, zone, server, raised, owner, type, timeLeft);
        }
    }

    /** zone-valid (issue 10): the zone at this serial passed verification. */
    final class ZoneValid extends DBusSignal {
        public ZoneValid(String path, String zone, String service, boolean raised, UInt32 serial, String detail)
                throws DBusException {
            super(path, zone, service, raised, serial, detail);
        }
    }

    /** zone-invalid (issue 10): the zone at this serial failed verification. */
    final class ZoneInvalid extends DBusSignal {
        public ZoneInvalid(String path, String zone, String service, boolean raised, UInt32 serial, String detail)
                throws DBusException {
            super(path, zone, service, raised, serial, detail);
        }
    }

    /** zone-unwatched: the local name server {@code server} serves the zone, dns-oops does not watch it. */
    final class ZoneUnwatched extends DBusSignal {
        public ZoneUnwatched(String path, String zone, String server, boolean raised, String detail) throws DBusException {
            super(path, zone, server, raised, detail);
        }
    }

    /** query-rate-high (issue 10): queries/s at or above the threshold. */
    final class QueryRateHigh extends DBusSignal {
        public QueryRateHigh(String path, String server, boolean raised, double rate, double threshold)
                throws DBusException {
            super(path, server, raised, rate, threshold);
        }
    }

    /** query-rate-rising (issue 10): the rate grew by at least the threshold in one interval. */
    final class QueryRateRising extends DBusSignal {
        public QueryRateRising(String path, String server, boolean raised, double rate, double threshold)
                throws DBusException {
            super(path, server, raised, rate, threshold);
        }
    }

    /** ede (issue 10): an answer carried this Extended DNS Error code (RFC 8914). */
    final class Ede extends DBusSignal {
        public Ede(String path, String server, String zone, boolean raised, int code, String text) throws DBusException {
            super(path, server, zone, raised, code, text);
        }
    }
}
