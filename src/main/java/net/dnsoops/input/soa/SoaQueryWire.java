package net.dnsoops.input.soa;

import java.io.IOException;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;

/**
 * The SOA query as bytes, and the lenient parse of its answer. The query carries an EDNS OPT
 * record (UDP payload 1232, DO=0, no options) so that servers may add Extended DNS Errors
 * (RFC 8914) to their answers; without EDNS they never do. Written straight into one array of
 * exactly the right size: cheaper than building a dnsjava Message per query.
 */
final class SoaQueryWire {
    /** 1232: the DNS Flag Day 2020 payload size, safe from fragmentation; the same as dnsjava's resolver sends. */
    static final int UDP_PAYLOAD = 1232;
    /** Root owner, TYPE 41 (OPT), CLASS = payload size, TTL 0 (extended RCODE 0, version 0, DO=0), RDLENGTH 0. */
    private static final byte[] OPT = {0, 0, 41, (byte) (UDP_PAYLOAD >> 8), (byte) UDP_PAYLOAD, 0, 0, 0, 0, 0, 0};

    private SoaQueryWire() {
    }

    /** QUERY with RD (as dnsjava's Message.newQuery sets it), one question "zone IN SOA", one OPT. */
    static byte[] of(Name zone, int id) {
        byte[] name = zone.toWire();
        byte[] w = new byte[12 + name.length + 4 + OPT.length];
        w[0] = (byte) (id >> 8);
        w[1] = (byte) id;
        w[2] = 0x01; // RD
        w[5] = 1; // QDCOUNT
        w[11] = 1; // ARCOUNT: the OPT
        System.arraycopy(name, 0, w, 12, name.length);
        int p = 12 + name.length;
        w[p + 1] = 6; // TYPE SOA
        w[p + 3] = 1; // CLASS IN
        System.arraycopy(OPT, 0, w, p + 4, OPT.length);
        return w;
    }

    /**
     * Parses an answer; null if it is garbage. Now that answers carry OPT, a server's malformed
     * option (an EDE shorter than its code, say) would make the whole answer unparseable and the
     * check time out, so an answer whose additional section does not parse is read without it:
     * the question, rcode and SOA still decide the check, only its EDEs are lost. Answers without
     * additional records (no OPT) are parsed once, as before.
     */
    static Message parse(byte[] wire) {
        try {
            return new Message(wire);
        } catch (IOException | RuntimeException e) {
            if (wire.length < 12 || (wire[10] | wire[11]) == 0) return null;
            byte[] withoutAdditional = wire.clone();
            withoutAdditional[10] = 0;
            withoutAdditional[11] = 0;
            try {
                return new Message(withoutAdditional);
            } catch (IOException | RuntimeException again) {
                return null;
            }
        }
    }
}
