package net.dnsoops.core;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.Name;
import org.xbill.DNS.TSIG;

/**
 * Everything the core needs to know about one configured zone, already resolved against the
 * config's defaults: its name and its {@link ZoneProfile}, which zones configured alike share.
 * Immutable; a reload replaces it. The accessors are the profile's, so callers need not care.
 */
public record ZoneSettings(Name name, ZoneProfile profile) {

    /** A zone with a profile of its own (tests; the config interns profiles, see ZoneConfig.resolve). */
    public ZoneSettings(Name name, String service, List<InetSocketAddress> primaries,
                        List<AddressPrefix> allowNotify, boolean queryNotifier, int notifierPort,
                        ZoneTimers timers, Duration soaTimeout, int soaTries, Map<String, String> fields,
                        Name notifyKey, TSIG soaKey) {
        this(name, new ZoneProfile(service, primaries, allowNotify, queryNotifier, notifierPort, timers, soaTimeout,
                soaTries, fields, notifyKey, soaKey));
    }

    /** The zone name as users write it: lower case, trailing dot. */
    public String zoneText() {
        return name.toString();
    }

    /** The zone's group: a service is ready when all its zones are. */
    public String service() {
        return profile.service();
    }

    /** Servers whose SOA is authoritative for the zone, in failover order. */
    public List<InetSocketAddress> primaries() {
        return profile.primaries();
    }

    /** Who may notify; empty means the primaries' addresses, or loopback if none. */
    public List<AddressPrefix> allowNotify() {
        return profile.allowNotify();
    }

    /** Also query the NOTIFY's source address (on {@link #notifierPort()}) first. */
    public boolean queryNotifier() {
        return profile.queryNotifier();
    }

    public int notifierPort() {
        return profile.notifierPort();
    }

    public ZoneTimers timers() {
        return profile.timers();
    }

    public Duration soaTimeout() {
        return profile.soaTimeout();
    }

    public int soaTries() {
        return profile.soaTries();
    }

    /** Free per-zone fields, available to templates. */
    public Map<String, String> fields() {
        return profile.fields();
    }

    /** TSIG key name a NOTIFY must be signed with, or null for none. */
    public Name notifyKey() {
        return profile.notifyKey();
    }

    /** TSIG key to sign SOA queries with, or null. */
    public TSIG soaKey() {
        return profile.soaKey();
    }

    /** Called for every NOTIFY received. */
    public boolean allows(InetAddress source) {
        return profile.allows(source);
    }
}
