package net.dnsoops.input.verify;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.ZoneTransferIn;

/**
 * Fetches a whole zone: by IXFR from the kept copy's serial when there is one, applying the
 * deltas to it, else (or when the server answers IXFR with a full zone, refuses or does not
 * implement IXFR, or the deltas do not fit the kept copy) by AXFR. {@link Fetched#transfer}
 * says which was used and why, for the condition's detail and the logs.
 */
final class ZoneFetch {
    private static final Logger log = LoggerFactory.getLogger(ZoneFetch.class);

    /** The zone's records (each RR once) and how they were fetched ("ixfr from serial N", "axfr", ...). */
    record Fetched(List<Record> records, String transfer, boolean ixfr) {
    }

    private ZoneFetch() {
    }

    static Fetched fetch(Name zone, InetSocketAddress from, TSIG key, Duration timeout, KeptZones.Kept kept) throws Exception {
        String why;
        if (kept == null) {
            why = null;
        } else {
            try {
                // fallback = true: dnsjava itself retries by AXFR when the server says NOTIMP to IXFR.
                ZoneTransferIn x = ZoneTransferIn.newIXFR(zone, kept.serial(), true, from, key);
                x.setTimeout(timeout);
                x.run();
                if (x.isCurrent()) {
                    return new Fetched(kept.records(), "ixfr from serial " + kept.serial() + " (up to date)", true);
                }
                if (x.isIXFR()) {
                    List<ZoneDelta> deltas = new ArrayList<>();
                    int changes = 0;
                    for (ZoneTransferIn.Delta d : x.getIXFR()) {
                        deltas.add(ZoneDelta.of(d));
                        changes += d.adds.size() + d.deletes.size();
                    }
                    try {
                        List<Record> rs = ZoneDelta.apply(kept.records(), kept.serial(), deltas);
                        return new Fetched(rs, "ixfr from serial " + kept.serial() + " (" + deltas.size()
                                + (deltas.size() == 1 ? " delta, " : " deltas, ") + changes + " records)", true);
                    } catch (ZoneDelta.Mismatch e) {
                        why = "ixfr did not apply: " + e.getMessage();
                    }
                } else {
                    // The server answered the IXFR with the whole zone (no journal for that serial) or NOTIMP.
                    return new Fetched(unique(x.getAXFR()), "axfr (server answered ixfr from serial " + kept.serial()
                            + " with the whole zone)", false);
                }
            } catch (Exception e) {
                why = "ixfr from serial " + kept.serial() + " failed: " + e.getMessage();
            }
            log.info("zone {}: {}; falling back to AXFR", zone, why);
        }
        ZoneTransferIn x = ZoneTransferIn.newAXFR(zone, from, key);
        x.setTimeout(timeout);
        x.run();
        return new Fetched(unique(x.getAXFR()), why == null ? "axfr" : "axfr (" + why + ")", false);
    }

    /** AXFR repeats the SOA at the end: each RR once, in transfer order. */
    static List<Record> unique(List<Record> records) {
        return new ArrayList<>(new LinkedHashSet<>(records));
    }
}
