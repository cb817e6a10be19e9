package net.dnsoops.input.soa;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;

/**
 * Our SOA query as bytes, and the lenient parse of its answer. The query is what a secondary
 * sends a primary: not recursive (RD clear), one question "zone IN SOA", and an EDNS OPT
 * record (UDP payload 1232, DO=0, no options) so that servers may add Extended DNS Errors (RFC
 * 8914) to their answers; without EDNS they never do. Written straight into the buffer that
 * is sent: cheaper than building a dnsjava Message (and asking SecureRandom) per query.
 */
final class SoaQueryWire {
    /** 1232: the DNS Flag Day 2020 payload size, safe from fragmentation; the same as dnsjava's resolver sends. */
    static final int UDP_PAYLOAD = 1232;
    /** Root owner, TYPE 41 (OPT), CLASS = payload size, TTL 0 (extended RCODE 0, version 0, DO=0), RDLENGTH 0. */
    private static final byte[] OPT = {0, 0, 41, (byte) (UDP_PAYLOAD >> 8), (byte) UDP_PAYLOAD, 0, 0, 0, 0, 0, 0};

    private SoaQueryWire() {
    }

    static int length(byte[] zoneWire) {
        return 12 + zoneWire.length + 4 + OPT.length;
    }

    /** Appends the query to {@code out}; {@code zoneWire} is the zone's uncompressed wire form. */
    static ByteBuf write(ByteBuf out, int id, byte[] zoneWire) {
        out.writeShort(id);
        out.writeShort(0); // QR=0, opcode QUERY, RD=0
        out.writeShort(1); // QDCOUNT
        out.writeShort(0);
        out.writeShort(0);
        out.writeShort(1); // ARCOUNT: the OPT
        out.writeBytes(zoneWire);
        out.writeShort(6); // TYPE SOA
        out.writeShort(1); // CLASS IN
        out.writeBytes(OPT);
        return out;
    }

    /** The same query as a dnsjava message (RD clear, EDNS), with a random ID. */
    static Message message(Name zone) {
        Message m = Message.newQuery(Record.newRecord(zone, Type.SOA, DClass.IN));
        m.getHeader().unsetFlag(Flags.RD); // a secondary's query to a primary is not recursive
        m.addRecord(new OPTRecord(UDP_PAYLOAD, 0, 0), Section.ADDITIONAL);
        return m;
    }

    /**
     * That message with ID {@code id}, signed with {@code key} (RFC 8945): EDNS first, so the
     * signature covers it and the TSIG record stays last. {@link Message#getTSIG()} is the
     * query's signature, which the answer's is verified against.
     */
    static Message signed(Name zone, int id, TSIG key) {
        Message m = message(zone);
        m.getHeader().setID(id);
        key.apply(m, null);
        return m;
    }

    /**
     * Parses an answer; null if it is garbage. Now that answers carry OPT, a server's malformed
     * option (an EDE shorter than its code, say) would make the whole answer unparseable and the
     * check time out, so an answer whose additional section does not parse is read without it:
     * the question, rcode and SOA still decide the check, only its EDEs are lost.
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
