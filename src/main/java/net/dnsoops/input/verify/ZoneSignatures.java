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
 * every RRSIG must verify with an apex DNSKEY of its key tag and algorithm at {@code now}, the
 * apex SOA and DNSKEY RRsets must be signed, and so must every other authoritative RRset. This
 * checks the zone's own signatures; the DS link is {@link ChainOfTrust}, NSEC/NSEC3
 * completeness {@link DenialChain}.
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
        return unsigned(apex, sets.values(), sigs);
    }

    /**
     * The first authoritative RRset without an RRSIG, or null. Not signed, by design (RFC 4035
     * 2.2): the NS RRset and glue at a delegation point and anything below it, and what is not in
     * the zone at all. Resolvers would treat any other unsigned RRset as bogus.
     */
    private static String unsigned(Name apex, java.util.Collection<RRset> sets, List<RRSIGRecord> sigs) {
        java.util.Set<Name> cuts = new java.util.HashSet<>();
        java.util.Set<String> signed = new java.util.HashSet<>();
        for (RRset set : sets) {
            if (set.getType() == Type.NS && !set.getName().equals(apex)) cuts.add(set.getName());
        }
        for (RRSIGRecord s : sigs) signed.add(s.getName() + " " + s.getTypeCovered());
        java.util.TreeMap<Name, List<String>> missing = new java.util.TreeMap<>(); // canonical order: the first is reported
        for (RRset set : sets) {
            Name n = set.getName();
            if (!n.subdomain(apex) || signed.contains(n + " " + set.getType())) continue;
            if (cuts.contains(n) && set.getType() != Type.DS) continue; // delegation NS and glue at the cut
            if (belowCut(apex, n, cuts)) continue; // glue
            missing.computeIfAbsent(n, k -> new ArrayList<>()).add(Type.string(set.getType()));
        }
        if (missing.isEmpty()) return null;
        Map.Entry<Name, List<String>> first = missing.firstEntry();
        return first.getKey() + " " + String.join(", ", first.getValue()) + " is not signed";
    }

    private static boolean belowCut(Name apex, Name n, java.util.Set<Name> cuts) {
        for (Name p = n; !p.equals(apex) && p.labels() > apex.labels(); ) {
            p = new Name(p, 1);
            if (cuts.contains(p)) return true;
        }
        return false;
    }
}
