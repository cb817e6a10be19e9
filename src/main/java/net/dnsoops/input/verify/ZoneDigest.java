package net.dnsoops.input.verify;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;
import org.xbill.DNS.ZoneMDRecord;

/**
 * ZONEMD (RFC 8976), scheme 1 (SIMPLE) with SHA-384 (1) or SHA-512 (2): the digest over every RR
 * of the zone in canonical form and canonical order, without the apex ZONEMD RRset and the RRSIGs
 * covering it, duplicates counted once.
 */
public final class ZoneDigest {
    private ZoneDigest() {
    }

    /** The digest of {@code records} (a whole zone) for {@code hash} (1 SHA-384, 2 SHA-512). */
    public static byte[] compute(Name apex, List<Record> records, int hash) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance(hash == 1 ? "SHA-384" : hash == 2 ? "SHA-512" : "unsupported-" + hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalArgumentException("ZONEMD hash algorithm " + hash + " is not supported");
        }
        // Record's natural order is the canonical one: owner (RFC 4034 6.1), class, type, RDATA.
        // A set also drops duplicate RRs, which RFC 8976 3.3.1.1 says to include once.
        TreeSet<Record> sorted = new TreeSet<>();
        for (Record r : records) {
            if (r.getName().equals(apex) && r.getType() == Type.ZONEMD) continue;
            if (r.getName().equals(apex) && r instanceof RRSIGRecord s && s.getTypeCovered() == Type.ZONEMD) continue;
            sorted.add(r);
        }
        for (Record r : sorted) md.update(r.toWireCanonical());
        return md.digest();
    }

    /**
     * Why the zone's ZONEMD does not verify, or null if one of its ZONEMD records (scheme 1,
     * supported hash, serial = the SOA's) matches. "none" when the zone has no usable ZONEMD.
     */
    public static String check(Name apex, List<Record> records, long soaSerial) {
        List<ZoneMDRecord> mds = new ArrayList<>();
        for (Record r : records) {
            if (r instanceof ZoneMDRecord z && r.getName().equals(apex)) mds.add(z);
        }
        if (mds.isEmpty()) return "none";
        String why = "none";
        for (ZoneMDRecord z : mds) {
            if (z.getScheme() != 1 || (z.getHashAlgorithm() != 1 && z.getHashAlgorithm() != 2)) {
                continue; // unsupported: RFC 8976 4 says to ignore it
            }
            if (z.getSerial() != soaSerial) {
                why = "ZONEMD serial " + z.getSerial() + " differs from the SOA serial " + soaSerial;
                continue;
            }
            byte[] d = compute(apex, records, z.getHashAlgorithm());
            if (MessageDigest.isEqual(d, z.getDigest())) return null;
            why = "ZONEMD digest (hash " + z.getHashAlgorithm() + ") does not match the zone's content";
        }
        return why;
    }
}
