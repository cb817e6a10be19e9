package net.dnsoops.input.soa;

import java.net.InetSocketAddress;
import net.dnsoops.core.CheckResult;
import org.xbill.DNS.Name;

/**
 * Reads the common successful SOA answer straight from the wire: NOERROR, authoritative, not
 * truncated, our one question, exactly one answer record (the zone's SOA, owner compressed to
 * the question or written out), then only NS records in the authority section and A/AAAA glue
 * plus an OPT without options in the additional section, checked as strictly as dnsjava reads
 * them. That is what NSD, Knot and BIND send to our SOA query, and it is most of a busy
 * bridge's answers. Anything else (an OPT carrying options, where Extended DNS Errors live, an
 * extended RCODE, TSIG, any other record type) returns null and goes to dnsjava and
 * {@link SoaAnswer#judge}, which decide the same way on these answers (a test feeds both the
 * same bytes).
 */
final class SoaAnswerFastPath {
    private static final int TYPE_SOA = 6;
    private static final int CLASS_IN = 1;
    private static final int TYPE_A = 1;
    private static final int TYPE_NS = 2;
    private static final int TYPE_AAAA = 28;
    private static final int TYPE_OPT = 41;

    private SoaAnswerFastPath() {
    }

    /** The success read from {@code w}, or null to use the full parser. */
    static CheckResult judge(Name zone, byte[] zoneWire, byte[] w, InetSocketAddress server) {
        int len = w.length;
        if (len < 12) return null;
        int flags = u16(w, 2);
        // QR=1, opcode QUERY, AA=1, TC=0, RCODE NOERROR; other bits (RD, RA, AD, CD) do not matter
        if ((flags & 0xfe0f) != 0x8400) return null;
        if (u16(w, 4) != 1 || u16(w, 6) != 1) return null;
        int authority = u16(w, 8);
        int additional = u16(w, 10);
        int off = 12;
        if (!nameAt(w, off, zoneWire)) return null;
        off += zoneWire.length;
        if (off + 4 > len || u16(w, off) != TYPE_SOA || u16(w, off + 2) != CLASS_IN) return null;
        off += 4;
        // answer owner: a pointer to the question's name, or the name written out again
        if (off + 2 <= len && u16(w, off) == 0xc00c) {
            off += 2;
        } else if (nameAt(w, off, zoneWire)) {
            off += zoneWire.length;
        } else {
            return null;
        }
        if (off + 10 > len || u16(w, off) != TYPE_SOA || u16(w, off + 2) != CLASS_IN) return null;
        int rdlength = u16(w, off + 8);
        off += 10;
        int rdEnd = off + rdlength;
        if (rdEnd > len) return null;
        off = skipName(w, off, rdEnd); // MNAME
        if (off < 0) return null;
        off = skipName(w, off, rdEnd); // RNAME
        if (off < 0 || off + 20 != rdEnd) return null;
        if (!onlyNsGlueAndPlainOpt(w, rdEnd, authority, additional)) return null;
        return CheckResult.success(zone, u32(w, off), u32(w, off + 4), u32(w, off + 8), u32(w, off + 12), server);
    }

    /**
     * True if {@code authority} NS records, then {@code additional} A/AAAA glue records and at
     * most one OPT without options and without extended RCODE bits, all well formed, fill the
     * message from {@code off}. An OPT with options (an EDE) or an extended RCODE is not plain.
     */
    private static boolean onlyNsGlueAndPlainOpt(byte[] w, int off, int authority, int additional) {
        int len = w.length;
        boolean optSeen = false;
        for (int i = 0; i < authority + additional; i++) {
            boolean inAdditional = i >= authority;
            int owner = off;
            off = skipName(w, off, len);
            if (off < 0 || off + 10 > len) return false;
            int type = u16(w, off);
            int rdlength = u16(w, off + 8);
            int extendedRcode = w[off + 4] & 0xff;
            off += 10;
            int end = off + rdlength;
            if (end > len) return false;
            boolean ok = switch (type) {
                case TYPE_NS -> skipName(w, off, end) == end;
                case TYPE_A -> inAdditional && rdlength == 4;
                case TYPE_AAAA -> inAdditional && rdlength == 16;
                case TYPE_OPT -> inAdditional && !optSeen && w[owner] == 0 && rdlength == 0 && extendedRcode == 0;
                default -> false;
            };
            if (!ok) return false;
            if (type == TYPE_OPT) optSeen = true;
            off = end;
        }
        return off == len;
    }

    /** True if the uncompressed name {@code name} (wire form) is at {@code off}, ignoring ASCII case. */
    private static boolean nameAt(byte[] w, int off, byte[] name) {
        if (off + name.length > w.length) return false;
        int i = 0;
        while (i < name.length) {
            int l = name[i];
            if ((w[off + i] & 0xff) != l) return false; // also rejects pointers and extended labels
            for (int k = 1; k <= l; k++) {
                if (lower(w[off + i + k]) != lower(name[i + k])) return false;
            }
            i += l + 1;
        }
        return true;
    }

    /**
     * The offset after the name at {@code off}, or -1 if dnsjava would reject it: labels of at
     * most 63 bytes, a total of at most 255, compression pointers only backwards (each strictly
     * before the pointer itself, so following them ends) and followed to check what they name.
     */
    private static int skipName(byte[] w, int off, int end) {
        int after = -1;
        int total = 1;
        int pos = off;
        while (pos < end) {
            int l = w[pos] & 0xff;
            if (l == 0) return after >= 0 ? after : pos + 1;
            if ((l & 0xc0) == 0xc0) {
                if (pos + 2 > end) return -1;
                int target = ((l & 0x3f) << 8) | (w[pos + 1] & 0xff);
                if (target >= pos) return -1;
                if (after < 0) after = pos + 2;
                pos = target;
                continue;
            }
            if (l > 63) return -1;
            total += l + 1;
            if (total > 255) return -1;
            pos += l + 1;
        }
        return -1;
    }

    private static int lower(byte b) {
        return b >= 'A' && b <= 'Z' ? b + 32 : b;
    }

    private static int u16(byte[] w, int off) {
        return ((w[off] & 0xff) << 8) | (w[off + 1] & 0xff);
    }

    private static long u32(byte[] w, int off) {
        return ((long) u16(w, off) << 16) | u16(w, off + 2);
    }
}
