package net.dnsoops.actuator.dbus;

import net.dnsoops.core.Condition;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.types.UInt32;

/**
 * Every condition as its native-profile signal. The switch has no default on purpose: a new
 * condition type does not compile until it has a signal here (and in docs/dbus.md).
 */
final class NativeSignals {
    private static final String P = NativeBridge.PATH;

    private NativeSignals() {
    }

    /**
     * The signal for {@code c}, or null for a cleared server-down (a reload removed the server's
     * probe): ServerDown has no raised flag, and sending it again would say the opposite.
     */
    static DBusSignal signalFor(Condition c) {
        if (c.type() == net.dnsoops.core.ConditionType.SERVER_DOWN && !c.raised()) return null;
        String zone = c.zone() == null ? "" : c.zone();
        String service = c.service() == null ? "" : c.service();
        try {
            return switch (c.type()) {
                case ZONE_READY -> new NativeBridge.ZoneReady(P, zone, service, c.raised(), u32(c.serial()));
                case ZONE_UPDATED -> new NativeBridge.ZoneUpdated(P, zone, service, u32(c.serial()),
                        u32(c.oldSerial()), c.source());
                case ZONE_REFRESH_FAILED -> new NativeBridge.ZoneRefreshFailed(P, zone, service, c.raised(), c.detail());
                case ZONE_EXPIRING -> new NativeBridge.ZoneExpiring(P, zone, service, c.raised(), c.detail());
                case ZONE_EXPIRED -> new NativeBridge.ZoneExpired(P, zone, service, c.raised(), c.detail());
                case ZONE_RECOVERED -> new NativeBridge.ZoneRecovered(P, zone, service, u32(c.serial()));
                case SERVICE_READY -> new NativeBridge.ServiceReady(P, service, c.raised());
                case SERVICE_NOT_READY -> new NativeBridge.ServiceNotReady(P, service, c.raised(), c.detail());
                case BRIDGE_STARTED -> new NativeBridge.BridgeStarted(P, c.raised());
                case BRIDGE_STOPPING -> new NativeBridge.BridgeStopping(P, c.raised());
                case DRAINING -> new NativeBridge.Draining(P, c.raised());
                case SERVER_UP -> new NativeBridge.ServerUp(P, c.source(), c.detail());
                case SERVER_DOWN -> new NativeBridge.ServerDown(P, c.source(), c.detail());
                case DNSSEC_EXPIRING -> new NativeBridge.DnssecExpiring(P, zone, c.source(), c.raised(), field(c, "owner"),
                        field(c, "type"), (long) number(c, "time-left"));
                case DNSSEC_EXPIRED -> new NativeBridge.DnssecExpired(P, zone, c.source(), c.raised(), field(c, "owner"),
                        field(c, "type"), (long) number(c, "time-left"));
                case ZONE_VALID -> new NativeBridge.ZoneValid(P, zone, service, c.raised(), u32(c.serial()), c.detail());
                case ZONE_INVALID -> new NativeBridge.ZoneInvalid(P, zone, service, c.raised(), u32(c.serial()), c.detail());
                case ZONE_UNWATCHED -> new NativeBridge.ZoneUnwatched(P, zone, c.source(), c.raised(), c.detail());
                case QUERY_RATE_HIGH -> new NativeBridge.QueryRateHigh(P, c.source(), c.raised(), number(c, "rate"),
                        number(c, "threshold"));
                case QUERY_RATE_RISING -> new NativeBridge.QueryRateRising(P, c.source(), c.raised(), number(c, "rate"),
                        number(c, "threshold"));
                case EDE -> new NativeBridge.Ede(P, c.source(), zone, c.raised(), (int) number(c, "code"), field(c, "text"));
            };
        } catch (DBusException e) {
            throw new IllegalStateException("cannot build native signal for " + c, e);
        }
    }

    private static String field(Condition c, String name) {
        return c.fields().getOrDefault(name, "");
    }

    private static double number(Condition c, String name) {
        try {
            return Double.parseDouble(c.fields().getOrDefault(name, "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Unknown serials (-1) go out as 0, which RFC 1982 treats as just another value: check "raised". */
    private static UInt32 u32(long serial) {
        return new UInt32(serial < 0 ? 0 : serial & 0xFFFFFFFFL);
    }
}
