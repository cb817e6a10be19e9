package net.dnsoops.actuator.dbus;

import java.time.Duration;
import net.dnsoops.config.Validated;

/**
 * The config's "dbus" section: D-Bus signals for conditions. Absent means off. Field initialisers
 * are the defaults; every key is documented in docs/dbus.md.
 */
public final class DbusConfig implements Validated {
    /** Bus address, e.g. "unix:path=/run/dbus/system_bus_socket"; unset: DBUS_SYSTEM_BUS_ADDRESS, else the system bus. */
    public String address;
    /** Own cz.nic.knotd and emit Knot's started/stopped/zone_updated, so NSD and BIND hosts look like Knot. */
    public boolean knotProfile = true;
    /** Own net.dnsoops and emit every condition, with read-only state methods and properties. */
    public boolean nativeProfile = true;
    /** Wait after acquiring a name before the first signal: clients that filter on the sender miss earlier ones. */
    public Duration signalDelay = Duration.ofSeconds(1);
    /** How often to try again while the bus is away or refuses the name. */
    public Duration reconnectInterval = Duration.ofSeconds(1);
    /** Signals kept while the bus is away (oldest dropped beyond this); sent once it is back. */
    public int maxQueued = 10_000;

    @Override
    public void validate() {
        if (!knotProfile && !nativeProfile) {
            throw new IllegalArgumentException("enable \"knot-profile\" or \"native-profile\" (or remove \"dbus\")");
        }
        if (signalDelay.isNegative()) throw new IllegalArgumentException("\"signal-delay\" must not be negative");
        if (reconnectInterval.isZero() || reconnectInterval.isNegative()) {
            throw new IllegalArgumentException("\"reconnect-interval\" must be positive");
        }
        if (maxQueued < 0) throw new IllegalArgumentException("\"max-queued\" must be 0 or more");
    }
}
