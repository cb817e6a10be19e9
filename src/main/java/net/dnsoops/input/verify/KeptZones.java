package net.dnsoops.input.verify;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * The last transferred content of each verified zone, so that the next update can be fetched by
 * IXFR (RFC 1995) and applied here instead of transferring the whole zone again. Only zones of
 * "verify" entries with "ixfr" on are kept, and only up to their "ixfr-max-records": a bigger
 * zone is dropped and always fetched by AXFR. The records are dnsjava objects (roughly 60-170
 * bytes each, measured: see docs/verify.md); an applied delta shares the unchanged ones with the
 * old copy.
 */
final class KeptZones {
    /** One zone's content (each RR once) at {@code serial}. */
    record Kept(long serial, List<Record> records) {
    }

    private final Map<Name, Kept> zones = new ConcurrentHashMap<>();

    Kept get(Name zone) {
        return zones.get(zone);
    }

    /** Keeps {@code records} as {@code zone}'s content at {@code serial}, or forgets the zone if it is over {@code maxRecords}. */
    void keep(Name zone, long serial, List<Record> records, int maxRecords) {
        if (records.size() > maxRecords) {
            zones.remove(zone);
        } else {
            zones.put(zone, new Kept(serial, List.copyOf(records)));
        }
    }

    void forget(Name zone) {
        zones.remove(zone);
    }

    int zoneCount() {
        return zones.size();
    }

    long recordCount() {
        long n = 0;
        for (Kept k : zones.values()) n += k.records().size();
        return n;
    }
}
