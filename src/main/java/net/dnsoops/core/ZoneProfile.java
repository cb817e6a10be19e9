package net.dnsoops.core;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.Name;
import org.xbill.DNS.TSIG;

/**
 * A zone's settings without its name: what zones configured alike share. The config gives a
 * million zones that set nothing of their own one profile between them (see
 * {@link ZoneSettings}, which pairs it with the name); one copy per zone cost 40 MB.
 *
 * @param service       the zone's group: a service is ready when all its zones are
 * @param primaries     servers whose SOA is authoritative for the zone, in failover order
 * @param allowNotify   who may notify; empty means the primaries' addresses, or loopback if none
 * @param queryNotifier also query the NOTIFY's source address (on {@code notifierPort}) first
 * @param fields        free per-zone fields, available to templates
 * @param notifyKey     TSIG key name a NOTIFY must be signed with, or null for none
 * @param soaKey        TSIG key to sign SOA queries with, or null
 */
public record ZoneProfile(String service, List<InetSocketAddress> primaries, List<AddressPrefix> allowNotify,
                          boolean queryNotifier, int notifierPort, ZoneTimers timers, Duration soaTimeout, int soaTries,
                          Map<String, String> fields, Name notifyKey, TSIG soaKey) {

    private static final List<AddressPrefix> LOOPBACK =
            List.of(AddressPrefix.parse("127.0.0.0/8"), AddressPrefix.parse("::1"));

    public ZoneProfile {
        primaries = List.copyOf(primaries);
        allowNotify = List.copyOf(allowNotify);
        fields = Map.copyOf(fields);
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
