package net.dnsoops.input.knotdbus;

import java.time.Duration;
import net.dnsoops.config.Validated;

/**
 * The config's "knot-dbus" section: listen to a local knotd's D-Bus signals
 * ({@code server.dbus-event: [running, zone-updated]} in knot.conf). Absent means off.
 */
public final class KnotDbusConfig implements Validated {
    /** Bus address; unset: DBUS_SYSTEM_BUS_ADDRESS, else the system bus (where knotd emits). */
    public String address;
    /**
     * false: zone_updated is handled like a NOTIFY, i.e. verified by the zone's own SOA query.
     * true: the signal's serial is committed as verified without a query (knotd is on this host and
     * the bus policy lets only knotd own its name).
     */
    public boolean trustSerial = false;
    /** How often to try again while the bus is away. */
    public Duration reconnectInterval = Duration.ofSeconds(1);

    @Override
    public void validate() {
        if (reconnectInterval.isZero() || reconnectInterval.isNegative()) {
            throw new IllegalArgumentException("\"reconnect-interval\" must be positive");
        }
    }
}
