package net.dnsoops.input.notify;

import org.xbill.DNS.DNSInput;
import org.xbill.DNS.Name;
import org.xbill.DNS.WireParseException;

/**
 * Reads the common NOTIFY — one question, at most one answer record (the SOA hint that NSD and
 * BIND send), nothing else — straight from the wire without building a dnsjava Message, and
 * builds its answer by copying header and question. Anything else (EDNS, TSIG, compression in
 * the question, odd counts) returns null and takes the full parser, so both paths give the
 * same answer to the same bytes.
 */
final class NotifyFastPath {
    /** The parsed question of a simple NOTIFY. */
    record Question(Name zone, int type, int dclass, int end) {
    }

    private NotifyFastPath() {
    }

    /** The question of a simple, well-formed NOTIFY, or null to use the full parser. */
    static Question parse(byte[] w) {
        int len = w.length;
        if (count(w, 4) != 1 || count(w, 6) > 1 || count(w, 8) != 0 || count(w, 10) != 0) return null;
        int off = 12;
        while (true) { // the question name: plain labels only
            if (off >= len) return null;
            int l = w[off] & 0xff;
            if (l == 0) {
                off++;
                break;
            }
            if (l > 63) return null; // compression or extended label: full parser
            off += 1 + l;
        }
        if (off + 4 > len || off - 12 > 255) return null;
        int type = count(w, off);
        int dclass = count(w, off + 2);
        int end = off + 4;
        try {
            DNSInput in = new DNSInput(w);
            in.jump(12);
            Name zone = new Name(in);
            if (count(w, 6) == 1 && !soaFillsTheRest(in, end)) return null;
            if (count(w, 6) == 0 && end != len) return null;
            return new Question(zone, type, dclass, end);
        } catch (WireParseException | IllegalArgumentException e) {
            return null;
        }
    }

    /** The answer: the request's ID, opcode and question, QR and AA set, the given RCODE. */
    static byte[] answer(byte[] request, Question q, int rcode) {
        byte[] out = new byte[q.end()];
        System.arraycopy(request, 0, out, 0, q.end());
        int opcode = (request[2] >> 3) & 0xf;
        int flags = 0x8000 | (opcode << 11) | 0x0400 | (rcode & 0xf);
        out[2] = (byte) (flags >> 8);
        out[3] = (byte) flags;
        out[6] = 0; // ANCOUNT
        out[7] = 0;
        return out;
    }

    private static int count(byte[] w, int off) {
        return ((w[off] & 0xff) << 8) | (w[off + 1] & 0xff);
    }

    /**
     * True if the answer section holds exactly one well-formed SOA record that ends the message;
     * names are read by dnsjava's own Name parser so compression is judged as the full path does.
     */
    private static boolean soaFillsTheRest(DNSInput in, int start) throws WireParseException {
        in.jump(start);
        new Name(in); // owner
        if (in.remaining() < 10) return false;
        int type = in.readU16();
        in.readU16(); // class
        in.readU32(); // TTL
        int rdlength = in.readU16();
        if (type != org.xbill.DNS.Type.SOA || in.remaining() != rdlength) return false;
        int rdEnd = in.current() + rdlength;
        new Name(in); // mname
        new Name(in); // rname
        return in.current() + 20 == rdEnd;
    }
}
