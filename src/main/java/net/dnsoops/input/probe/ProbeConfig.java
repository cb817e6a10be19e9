package net.dnsoops.input.probe;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import net.dnsoops.config.Validated;
import net.dnsoops.core.AddressText;
import org.xbill.DNS.Name;

/**
 * One entry of "probe": a local name server whose health decides whether its services may be
 * ready. Field initialisers are the defaults; every key is in docs/probe.md.
 */
public final class ProbeConfig implements Validated {
    /** How conditions name the server (their "source"); default: the address. */
    public String name;
    /** The server to ask, "addr@port". Required. */
    public InetSocketAddress address;
    /** The zone whose SOA is asked; the answer must be authoritative NOERROR. Required. */
    public Name zone;
    /** Ask for the server's NSID (RFC 5001) too and show it in server-up's detail. */
    public boolean nsid = false;
    /** Ask over TCP instead of UDP. */
    public boolean tcp = false;
    /** Time between probes. */
    public Duration interval = Duration.ofSeconds(1);
    /** A probe without an answer in this time failed. */
    public Duration timeout = Duration.ofMillis(800);
    /** Consecutive good probes before a down (or unknown) server is up. */
    public int rise = 2;
    /** Consecutive failed probes before an up (or unknown) server is down. */
    public int fall = 2;
    /** The services ("services" entries or zone groups) this server serves; they are not ready while it is down. Empty: all. */
    public List<String> services = List.of();
    /** Extended DNS Error codes (RFC 8914) in probe answers to raise "ede" for. Empty: every code. */
    public List<Integer> edeCodes = List.of();
    /**
     * The server's systemd unit, e.g. "nsd.service": a probe also fails while the unit's
     * ActiveState is not "active" (e.g. "deactivating" while the port still answers). Null: not asked.
     */
    public String systemdUnit;
    /** The bus systemd is on; null: DBUS_SYSTEM_BUS_ADDRESS, else the system bus. */
    public String systemdBus;

    @Override
    public void validate() {
        if (address == null) throw new IllegalArgumentException("\"address\" is required (addr@port of the name server)");
        if (zone == null) throw new IllegalArgumentException("\"zone\" is required (a zone the server is authoritative for)");
        if (rise < 1) throw new IllegalArgumentException("\"rise\" must be at least 1");
        if (fall < 1) throw new IllegalArgumentException("\"fall\" must be at least 1");
        if (interval.isZero() || interval.isNegative()) throw new IllegalArgumentException("\"interval\" must be positive");
        if (timeout.isZero() || timeout.isNegative()) throw new IllegalArgumentException("\"timeout\" must be positive");
        if (systemdUnit != null && !systemdUnit.matches("[A-Za-z0-9:_.\\\\@-]+\\.[a-z]+")) {
            throw new IllegalArgumentException("\"systemd-unit\" must be a unit name such as \"nsd.service\"");
        }
        for (int c : edeCodes) {
            if (c < 0 || c > 65535) throw new IllegalArgumentException("\"ede-codes\" must be 0-65535");
        }
    }

    /**
     * Whether {@code other} asks the same thing of the same server: then a reload keeps the
     * probe's rise/fall counts, else they start over (the old answers say nothing about the new target).
     */
    public boolean sameTarget(ProbeConfig other) {
        return address.equals(other.address) && zone.equals(other.zone) && tcp == other.tcp
                && java.util.Objects.equals(systemdUnit, other.systemdUnit)
                && java.util.Objects.equals(systemdBus, other.systemdBus);
    }

    /** The name conditions use for this server. */
    public String serverName() {
        return name != null && !name.isBlank() ? name
                : AddressText.of(address);
    }
}
