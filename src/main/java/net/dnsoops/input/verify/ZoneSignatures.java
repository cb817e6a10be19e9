package net.dnsoops.input.verify;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * DNSSEC signatures of a whole transferred zone, checked with dnsjava's {@link DNSSEC#verify}:
 * every RRSIG must verify with an apex DNSKEY of its key tag and algorithm at {@code now}, and the
 * apex SOA and DNSKEY RRsets must be signed. This checks the zone's own signatures; the chain of
 * trust (DS in the parent) and NSEC/NSEC3 completeness are not checked.
 */
public final class ZoneSignatures {
    private ZoneSignatures() {
    }

    /** null when the zone is unsigned or every signature verifies; else why not. */
    public static String check(Name apex, List<Record> records, Instant now) {
        List<DNSKEYRecord> keys = new ArrayList<>();
        Map<String, RRset> sets = new LinkedHashMap<>();
        List<RRSIGRecord> sigs = new ArrayList<>();
        for (Record r : records) {
            if (r instanceof DNSKEYRecord k && r.getName().equals(apex)) keys.add(k);
            if (r instanceof RRSIGRecord s) {
                sigs.add(s);
            } else {
                sets.computeIfAbsent(r.getName() + " " + r.getType(), k -> new RRset()).addRR(r);
            }
        }
        if (keys.isEmpty()) return null; // unsigned zone: nothing to check
        boolean soaSigned = false;
        boolean keySigned = false;
        for (RRSIGRecord s : sigs) {
            RRset set = sets.get(s.getName() + " " + s.getTypeCovered());
            String what = s.getName() + " " + Type.string(s.getTypeCovered()) + " RRSIG (key " + s.getFootprint() + ")";
            if (set == null) return what + " covers no RRset";
            String failure = "no DNSKEY with tag " + s.getFootprint() + " and algorithm " + s.getAlgorithm();
            boolean ok = false;
            for (DNSKEYRecord k : keys) {
                if (k.getFootprint() != s.getFootprint() || k.getAlgorithm() != s.getAlgorithm()) continue;
                try {
                    DNSSEC.verify(set, s, k, now);
                    ok = true;
                    break;
                } catch (DNSSEC.DNSSECException e) {
                    failure = e.getMessage();
                }
            }
            if (!ok) return what + " does not verify: " + failure;
            if (s.getName().equals(apex) && s.getTypeCovered() == Type.SOA) soaSigned = true;
            if (s.getName().equals(apex) && s.getTypeCovered() == Type.DNSKEY) keySigned = true;
        }
        if (!soaSigned) return "the apex SOA is not signed";
        if (!keySigned) return "the apex DNSKEY RRset is not signed";
        return null;
    }
}
