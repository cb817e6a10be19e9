package net.dnsoops.input.soa;

import io.netty.buffer.ByteBuf;
import org.xbill.DNS.Name;

/**
 * The wire form of our SOA query, written straight into a buffer: header (the given ID, no
 * flags: not recursive, as a secondary asks a primary), one question (zone, SOA, IN), no EDNS.
 * Byte for byte what dnsjava's {@code Message.newQuery(...)} with that ID and RD cleared gives.
 */
final class SoaQueryWire {
    private static final int TYPE_SOA = 6;
    private static final int CLASS_IN = 1;

    private SoaQueryWire() {
    }

    static int length(Name zone) {
        return 12 + zone.length() + 4;
    }

    static ByteBuf write(ByteBuf out, int id, Name zone) {
        return write(out, id, zone.toWire());
    }

    /** As {@link #write(ByteBuf, int, Name)} with the zone already in (uncompressed) wire form. */
    static ByteBuf write(ByteBuf out, int id, byte[] zoneWire) {
        out.writeShort(id);
        out.writeShort(0); // QR=0 opcode QUERY, RD=0
        out.writeShort(1); // QDCOUNT
        out.writeShort(0);
        out.writeShort(0);
        out.writeShort(0);
        out.writeBytes(zoneWire); // uncompressed: the only name in the message
        out.writeShort(TYPE_SOA);
        out.writeShort(CLASS_IN);
        return out;
    }
}
