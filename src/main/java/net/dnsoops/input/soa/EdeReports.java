package net.dnsoops.input.soa;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.dnsoops.core.AddressText;
import net.dnsoops.core.CoreSink;
import org.xbill.DNS.Name;

/**
 * Passes the Extended DNS Errors of SOA answers to the core, which decides when "ede" is raised
 * and cleared. An answer is reported when it carries an EDE, or when the last reported answer
 * from that server for that zone did (so the core can clear it); every other answer, i.e.
 * nearly all of them, costs one isEmpty() here and nothing in the core.
 */
final class EdeReports implements SoaQuery.EdeListener {
    /** How the core tells the SOA checks' EDEs from the probe's (their codes are kept apart). */
    static final String VIA = "soa-check";

    private record Key(InetSocketAddress server, Name zone) {
    }

    private final CoreSink core;
    /** (server, zone) whose last reported answer carried at least one EDE. */
    private final Set<Key> holding = ConcurrentHashMap.newKeySet();

    EdeReports(CoreSink core) {
        this.core = core;
    }

    @Override
    public void answered(InetSocketAddress server, Name zone, Map<Integer, String> codes) {
        if (codes.isEmpty()) {
            if (holding.isEmpty() || !holding.remove(new Key(server, zone))) return;
        } else {
            holding.add(new Key(server, zone));
        }
        core.extendedErrors(VIA, name(server), zone, codes);
    }

    /** "127.0.0.1@53": a server as dns-oops's config and failure texts write it. */
    static String name(InetSocketAddress server) {
        return AddressText.of(server);
    }
}
