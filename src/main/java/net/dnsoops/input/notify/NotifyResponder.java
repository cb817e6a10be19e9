package net.dnsoops.input.notify;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import net.dnsoops.capture.TrafficObserver;
import net.dnsoops.core.Admission;
import net.dnsoops.core.CoreSink;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Decides the answer to one received DNS message, as a secondary would (RFC 1996), and tells
 * the core about accepted NOTIFYs. Transport-free: the UDP and TCP handlers share it.
 *
 * <ul>
 *   <li>not a DNS header (under 12 bytes), or a response (QR set): silence;</li>
 *   <li>opcode other than NOTIFY: NOTIMP;</li>
 *   <li>a NOTIFY that does not parse, or QDCOUNT != 1, or QTYPE != SOA: FORMERR;</li>
 *   <li>zone not configured: NOTAUTH; source not allowed: REFUSED (no SOA query);</li>
 *   <li>otherwise NOERROR at once, and the zone is checked.</li>
 * </ul>
 */
public final class NotifyResponder {
    private static final int HEADER_LENGTH = 12;

    private final CoreSink core;
    private final NotifyCounters counters;
    private final TrafficObserver observer;

    public NotifyResponder(CoreSink core, NotifyCounters counters) {
        this(core, counters, TrafficObserver.NONE);
    }

    /** With {@code observer}: NOTIFYs for zones that capture traffic (pcap/DSC) are reported to it. */
    public NotifyResponder(CoreSink core, NotifyCounters counters, TrafficObserver observer) {
        this.core = core;
        this.counters = counters;
        this.observer = observer;
    }

    /** The answer's wire bytes, or null for silence. */
    public byte[] respond(byte[] wire, InetAddress source, String transport) {
        return respond(wire, new InetSocketAddress(source, 0), null, transport);
    }

    /**
     * The answer's wire bytes, or null for silence; {@code local} (our address, may be null) and
     * the source's port only serve the traffic observer.
     */
    public byte[] respond(byte[] wire, InetSocketAddress sourceAddress, InetSocketAddress local, String transport) {
        InetAddress source = sourceAddress.getAddress();
        if (wire.length < HEADER_LENGTH) {
            counters.dropped();
            return null;
        }
        int id = ((wire[0] & 0xff) << 8) | (wire[1] & 0xff);
        int flags = ((wire[2] & 0xff) << 8) | (wire[3] & 0xff);
        if ((flags & 0x8000) != 0) { // QR: a response; answering it could start a loop
            counters.dropped();
            return null;
        }
        int opcode = (flags >> 11) & 0xf;
        Message request;
        try {
            request = new Message(wire);
        } catch (IOException | RuntimeException e) {
            return answer(id, opcode, null, opcode == Opcode.NOTIFY ? Rcode.FORMERR : Rcode.NOTIMP, transport);
        }
        if (opcode != Opcode.NOTIFY) {
            return answer(id, opcode, request.getQuestion(), Rcode.NOTIMP, transport);
        }
        Header h = request.getHeader();
        Record question = request.getQuestion();
        if (h.getCount(Section.QUESTION) != 1 || question == null || question.getType() != Type.SOA
                || question.getDClass() != DClass.IN) {
            return answer(id, opcode, h.getCount(Section.QUESTION) == 1 ? question : null, Rcode.FORMERR, transport);
        }
        Name zone = question.getName();
        Admission admission = core.admitNotify(zone, source);
        switch (admission) {
            case NOT_CONFIGURED:
                return answer(id, opcode, question, Rcode.NOTAUTH, transport);
            case REFUSED:
                return observed(zone, sourceAddress, local, transport, wire,
                        answer(id, opcode, question, Rcode.REFUSED, transport), Rcode.REFUSED);
            default:
                byte[] out = answer(id, opcode, question, Rcode.NOERROR, transport);
                core.notifyReceived(zone, source, transport);
                return observed(zone, sourceAddress, local, transport, wire, out, Rcode.NOERROR);
        }
    }

    /** Hands a configured zone's NOTIFY and answer to the observer, if it captures that zone. */
    private byte[] observed(Name zone, InetSocketAddress source, InetSocketAddress local, String transport, byte[] query,
                            byte[] answer, int rcode) {
        if (observer != TrafficObserver.NONE && observer.wants(zone)) {
            InetSocketAddress server = local != null ? local : new InetSocketAddress(0);
            observer.notifyExchange(zone, source, server, transport, query, answer, rcode);
        }
        return answer;
    }

    private byte[] answer(int id, int opcode, Record question, int rcode, String transport) {
        counters.answered(rcode, transport);
        Message m = new Message(id);
        Header h = m.getHeader();
        h.setFlag(Flags.QR);
        h.setFlag(Flags.AA);
        h.setOpcode(opcode);
        h.setRcode(rcode);
        if (question != null) m.addRecord(question, Section.QUESTION);
        return m.toWire();
    }
}
