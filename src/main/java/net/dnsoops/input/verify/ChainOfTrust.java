package net.dnsoops.input.verify;

import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The link from the parent to the zone (RFC 4035 5.2): a DS record must match a zone key in the
 * apex DNSKEY RRset (owner, algorithm, key tag and digest), and that key must sign the DNSKEY
 * RRset. Together with {@link ZoneSignatures} (every other RRSIG verifies with a key of that
 * RRset) this is the zone's whole chain of trust below the DS.
 */
public final class ChainOfTrust {
    private ChainOfTrust() {
    }

    /** null when a DS in {@code anchors} authenticates the zone's DNSKEY RRset at {@code now}; else why not. */
    public static String check(Name apex, List<Record> records, List<DSRecord> anchors, Instant now) {
        List<DSRecord> ds = new ArrayList<>();
        for (DSRecord d : anchors) {
            if (d.getName().equals(apex)) ds.add(d);
        }
        if (ds.isEmpty()) return "no DS record for " + apex + " in the trust anchor";
        RRset keys = new RRset();
        List<RRSIGRecord> keySigs = new ArrayList<>();
        for (Record r : records) {
            if (!r.getName().equals(apex)) continue;
            if (r instanceof DNSKEYRecord) keys.addRR(r);
            if (r instanceof RRSIGRecord s && s.getTypeCovered() == Type.DNSKEY) keySigs.add(s);
        }
        if (keys.size() == 0) return "the zone has no DNSKEY, but a trust anchor is configured";
        String why = null;
        for (DSRecord d : ds) {
            for (Record r : keys.rrs()) {
                DNSKEYRecord k = (DNSKEYRecord) r;
                if (!matches(apex, d, k)) continue;
                if ((k.getFlags() & DNSKEYRecord.Flags.ZONE_KEY) == 0 || (k.getFlags() & DNSKEYRecord.Flags.REVOKE) != 0) {
                    why = "DNSKEY " + k.getFootprint() + " matches DS " + describe(d) + " but is not a usable zone key (flags "
                            + k.getFlags() + ")";
                    continue;
                }
                why = "DNSKEY " + k.getFootprint() + " matches DS " + describe(d) + " but no RRSIG by it covers the DNSKEY RRset";
                for (RRSIGRecord s : keySigs) {
                    if (s.getFootprint() != k.getFootprint() || s.getAlgorithm() != k.getAlgorithm()) continue;
                    try {
                        DNSSEC.verify(keys, s, k, now);
                        return null;
                    } catch (DNSSEC.DNSSECException e) {
                        why = "DNSKEY " + k.getFootprint() + " matches DS " + describe(d)
                                + " but its signature of the DNSKEY RRset does not verify: " + e.getMessage();
                    }
                }
            }
        }
        if (why != null) return why;
        List<String> all = new ArrayList<>();
        for (DSRecord d : ds) all.add(describe(d));
        return "no DNSKEY of the zone matches a DS of the trust anchor " + all;
    }

    /** The DS is the digest of this key (an unsupported digest type matches nothing). */
    private static boolean matches(Name apex, DSRecord d, DNSKEYRecord k) {
        if (d.getFootprint() != k.getFootprint() || d.getAlgorithm() != k.getAlgorithm()) return false;
        try {
            DSRecord mine = new DSRecord(apex, DClass.IN, 0, d.getDigestID(), k);
            return MessageDigest.isEqual(mine.getDigest(), d.getDigest());
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static String describe(DSRecord d) {
        return d.getFootprint() + "/" + d.getAlgorithm() + "/" + d.getDigestID();
    }
}
