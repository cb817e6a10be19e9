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
 * config's defaults. Immutable; a reload replaces it.
 *
 * @param service       the zone's group: a service is ready when all its zones are
 * @param primaries     servers whose SOA is authoritative for the zone, in failover order
 * @param allowNotify   who may notify; empty means the primaries' addresses, or loopback if none
 * @param queryNotifier also query the NOTIFY's source address (on {@code notifierPort}) first
 * @param fields        free per-zone fields, available to templates
 * @param notifyKey     TSIG key name a NOTIFY must be signed with, or null for none
 * @param soaKey        TSIG key to sign SOA queries with, or null
 */
public record ZoneSettings(Name name, String service, List<InetSocketAddress> primaries,
                           List<AddressPrefix> allowNotify, boolean queryNotifier, int notifierPort,
                           ZoneTimers timers, Duration soaTimeout, int soaTries, Map<String, String> fields,
                           Name notifyKey, TSIG soaKey) {

    private static final List<AddressPrefix> LOOPBACK =
            List.of(AddressPrefix.parse("127.0.0.0/8"), AddressPrefix.parse("::1"));

    public ZoneSettings {
        primaries = List.copyOf(primaries);
        allowNotify = List.copyOf(allowNotify);
        fields = Map.copyOf(fields);
    }

    /** The zone name as users write it: lower case, trailing dot. */
    public String zoneText() {
        return name.toString();
    }

    /** Called for every NOTIFY received, so plain loops: no streams, no per-call objects. */
    public boolean allows(InetAddress source) {
        if (!allowNotify.isEmpty()) return anyContains(allowNotify, source);
        if (!primaries.isEmpty()) {
            for (InetSocketAddress p : primaries) {
                InetAddress a = p.getAddress();
                if (a.equals(source) || (source.getAddress().length == 16 && AddressPrefix.of(a).contains(source))) {
                    return true;
                }
            }
            return false;
        }
        return anyContains(LOOPBACK, source);
    }

    private static boolean anyContains(List<AddressPrefix> prefixes, InetAddress source) {
        for (AddressPrefix p : prefixes) {
            if (p.contains(source)) return true;
        }
        return false;
    }
}
