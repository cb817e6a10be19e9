package net.dnsoops.input.verify;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.xbill.DNS.Record;
import org.xbill.DNS.ZoneTransferIn;

/**
 * One IXFR difference sequence (RFC 1995): from serial {@code start} to {@code end}, remove
 * {@code deletes} (the old SOA among them), then add {@code adds} (the new SOA among them).
 */
record ZoneDelta(long start, long end, List<Record> deletes, List<Record> adds) {
    static ZoneDelta of(ZoneTransferIn.Delta d) {
        return new ZoneDelta(d.start, d.end, d.deletes, d.adds);
    }

    /** Thrown when a delta does not fit the kept copy: the caller falls back to AXFR. */
    static final class Mismatch extends Exception {
        Mismatch(String message) {
            super(message);
        }
    }

    /**
     * The zone at the last delta's end serial: {@code base} (the zone at {@code serial}) with
     * every delta applied in order. Each delta must start where the previous one ended (the first
     * at {@code serial}) and every record it deletes must be there; else the kept copy and the
     * server's journal disagree and nothing is applied. Record equality is dnsjava's: owner
     * (case-insensitive), type, class and RDATA, not TTL, which is how RFC 1995 matches RRs.
     */
    static List<Record> apply(List<Record> base, long serial, List<ZoneDelta> deltas) throws Mismatch {
        Set<Record> zone = new LinkedHashSet<>(base);
        long at = serial;
        for (ZoneDelta d : deltas) {
            if (d.start != at) throw new Mismatch("delta starts at serial " + d.start + ", kept copy is at " + at);
            for (Record r : d.deletes) {
                if (!zone.remove(r)) throw new Mismatch("delta " + d.start + "->" + d.end + " deletes a record that is not there: " + r);
            }
            zone.addAll(d.adds);
            at = d.end;
        }
        return new ArrayList<>(zone);
    }
}
