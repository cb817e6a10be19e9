package net.dnsoops.input.notify;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.function.Supplier;
import net.dnsoops.capture.TrafficObserver;
import net.dnsoops.config.TsigKeys;
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
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;
import org.xbill.DNS.Type;

/**
 * Decides the answer to one received DNS message, as a secondary would (RFC 1996), and tells
 * the core about accepted NOTIFYs. Transport-free: the UDP and TCP handlers share it.
 *
 * <ul>
 *   <li>over the per-source rate limit: silence (the sender retransmits);</li>
 *   <li>not a DNS header (under 12 bytes), or a response (QR set): silence;</li>
 *   <li>opcode other than NOTIFY: NOTIMP;</li>
 *   <li>a NOTIFY that does not parse, or QDCOUNT != 1, or QTYPE != SOA: FORMERR;</li>
 *   <li>TSIG (RFC 8945): unknown key (name, or the name with another algorithm): NOTAUTH/BADKEY;
 *       bad MAC: NOTAUTH/BADSIG (both unsigned); outside the time fudge: NOTAUTH/BADTIME (signed,
 *       our time in Other Data); a zone whose notify-key the request
 *       was not signed with: NOTAUTH. Nothing of these causes a SOA query;</li>
 *   <li>zone not configured: NOTAUTH; source not allowed: REFUSED (no SOA query);</li>
 *   <li>otherwise NOERROR at once (signed if the request was), and the zone is checked.</li>
 * </ul>
 */
public final class NotifyResponder {
    private static final int HEADER_LENGTH = 12;
    private static final int MAX_ANSWER = 65535;

    private final CoreSink core;
    private final NotifyCounters counters;
    private final Supplier<TsigKeys> keys;

    private final SourceRateLimit rateLimit;
    /** Off only in tests that check both paths agree. */
    boolean fastPath = true;
    private volatile TrafficObserver observer = TrafficObserver.NONE;

    public NotifyResponder(CoreSink core, NotifyCounters counters, Supplier<TsigKeys> keys) {
        this(core, counters, keys, 0, 0);
    }

    /** With a per-source limit of {@code ratePerSecond} messages (burst {@code burst}); 0 = none. */
    public NotifyResponder(CoreSink core, NotifyCounters counters, Supplier<TsigKeys> keys, long ratePerSecond,
                           long burst) {
        this(core, counters, keys, ratePerSecond, burst, System::nanoTime);
    }

    /** As above, the rate limit measuring time with {@code nanoTime} (monotonic, like System.nanoTime). */
    public NotifyResponder(CoreSink core, NotifyCounters counters, Supplier<TsigKeys> keys, long ratePerSecond,
                           long burst, java.util.function.LongSupplier nanoTime) {
        this.core = core;
        this.counters = counters;
        this.keys = keys;
        this.rateLimit = new SourceRateLimit(ratePerSecond, burst, nanoTime);
    }

    /** The answer's wire bytes, or null for silence. */
    /** Reports NOTIFYs for zones that capture traffic (pcap/DSC), with our answers, to {@code o}. */
    public void observe(TrafficObserver o) {
        observer = o;
    }

    /**
     * As {@link #respond(byte[], InetAddress, String)}; the source's port and {@code local} (our
     * address, may be null) only serve the traffic observer. When no zone captures, this costs one
     * volatile read more.
     */
    public byte[] respond(byte[] wire, InetSocketAddress source, InetSocketAddress local, String transport) {
        byte[] out = respond(wire, source.getAddress(), transport);
        TrafficObserver obs = observer;
        if (out != null && obs != TrafficObserver.NONE && obs.active()) {
            try {
                Message answer = new Message(out);
                Record q = answer.getQuestion();
                if (answer.getHeader().getOpcode() == Opcode.NOTIFY && q != null && obs.wants(q.getName())) {
                    obs.notifyExchange(q.getName(), source, local != null ? local : new InetSocketAddress(0), transport,
                            wire, out, answer.getHeader().getRcode());
                }
            } catch (IOException | RuntimeException e) {
                // our own answer always parses; capture is best effort anyway
            }
        }
        return out;
    }

    public byte[] respond(byte[] wire, InetAddress source, String transport) {
        if (!rateLimit.allow(source)) {
            counters.rateLimited();
            return null;
        }
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
        if (opcode == Opcode.NOTIFY && fastPath) {
            NotifyFastPath.Question q = NotifyFastPath.parse(wire);
            if (q != null) return fast(wire, q, source, transport);
        }
        Message request;
        try {
            request = new Message(wire);
        } catch (IOException | RuntimeException e) {
            return answer(id, opcode, null, opcode == Opcode.NOTIFY ? Rcode.FORMERR : Rcode.NOTIMP, transport);
        }
        if (opcode != Opcode.NOTIFY) {
            return answer(id, opcode, questionOrNull(request), Rcode.NOTIMP, transport);
        }
        try {
            return decide(request, wire, id, opcode, source, transport);
        } catch (RuntimeException e) {
            // dnsjava can still throw on messages that parsed (e.g. getTSIG() on a header whose
            // counts lie): such a request is malformed, not a reason to drop the listener.
            return answer(id, opcode, null, Rcode.FORMERR, transport);
        }
    }

    /** The same decisions as {@link #decide} for a simple unsigned NOTIFY, without dnsjava's Message. */
    private byte[] fast(byte[] wire, NotifyFastPath.Question q, InetAddress source, String transport) {
        int rcode;
        Admission admission = Admission.NOT_CONFIGURED;
        if (q.type() != Type.SOA || q.dclass() != DClass.IN) {
            rcode = Rcode.FORMERR;
        } else {
            admission = core.admitNotify(q.zone(), source, null);
            rcode = switch (admission) {
                case NOT_CONFIGURED, WRONG_KEY -> Rcode.NOTAUTH;
                case REFUSED -> Rcode.REFUSED;
                case ACCEPTED -> Rcode.NOERROR;
            };
        }
        counters.answered(rcode, transport);
        byte[] out = NotifyFastPath.answer(wire, q, rcode);
        if (admission == Admission.ACCEPTED) core.notifyReceived(q.zone(), source, transport);
        return out;
    }

    private byte[] decide(Message request, byte[] wire, int id, int opcode, InetAddress source, String transport) {
        Header h = request.getHeader();
        Record question = request.getQuestion();
        if (h.getCount(Section.QUESTION) != 1 || question == null || question.getType() != Type.SOA
                || question.getDClass() != DClass.IN) {
            return answer(id, opcode, h.getCount(Section.QUESTION) == 1 ? question : null, Rcode.FORMERR, transport);
        }
        TSIGRecord signature = tsigOf(request);
        TSIG key = null;
        if (signature != null) {
            TsigKeys ring = keys.get();
            key = ring.get(signature.getName());
            // RFC 8945 5.2.1: a key is its name and algorithm; the right name with another algorithm is BADKEY
            if (key == null || !signature.getAlgorithm().equals(ring.algorithm(signature.getName()))) {
                return unsignedTsigError(id, opcode, question, signature, Rcode.BADKEY, transport);
            }
            int verdict = key.verify(request, wire, null);
            if (verdict == Rcode.BADTIME) {
                return badTime(answerMessage(id, opcode, question, Rcode.NOTAUTH), ring, signature, transport);
            }
            if (verdict != Rcode.NOERROR) {
                return unsignedTsigError(id, opcode, question, signature, Rcode.BADSIG, transport);
            }
        }
        Name zone = question.getName();
        Admission admission = core.admitNotify(zone, source, signature == null ? null : signature.getName());
        int rcode = switch (admission) {
            case NOT_CONFIGURED -> Rcode.NOTAUTH;
            case REFUSED -> Rcode.REFUSED;
            case WRONG_KEY -> Rcode.NOTAUTH;
            case ACCEPTED -> Rcode.NOERROR;
        };
        if (admission == Admission.WRONG_KEY && signature != null) {
            // Signed, but with a key this zone does not take.
            return unsignedTsigError(id, opcode, question, signature, Rcode.BADKEY, transport);
        }
        Message m = answerMessage(id, opcode, question, rcode);
        byte[] out = key == null ? finish(m, rcode, transport)
                : signed(m, key, Rcode.NOERROR, signature, rcode, transport);
        if (admission == Admission.ACCEPTED) core.notifyReceived(zone, source, transport);
        return out;
    }

    /** The request's TSIG record (last in ADDITIONAL), found without trusting the header's counts. */
    private static TSIGRecord tsigOf(Message m) {
        java.util.List<Record> additional = m.getSection(Section.ADDITIONAL);
        if (additional.isEmpty()) return null;
        Record last = additional.get(additional.size() - 1);
        return last instanceof TSIGRecord t ? t : null;
    }

    private static Record questionOrNull(Message m) {
        try {
            return m.getQuestion();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private byte[] answer(int id, int opcode, Record question, int rcode, String transport) {
        return finish(answerMessage(id, opcode, question, rcode), rcode, transport);
    }

    private static Message answerMessage(int id, int opcode, Record question, int rcode) {
        Message m = new Message(id);
        Header h = m.getHeader();
        h.setFlag(Flags.QR);
        h.setFlag(Flags.AA);
        h.setOpcode(opcode);
        h.setRcode(rcode);
        if (question != null) m.addRecord(question, Section.QUESTION);
        return m;
    }

    private byte[] finish(Message m, int rcode, String transport) {
        counters.answered(rcode, transport);
        return m.toWire();
    }

    private byte[] signed(Message m, TSIG key, int tsigError, TSIGRecord requestSignature, int rcode, String transport) {
        m.setTSIG(key, tsigError, requestSignature);
        counters.answered(rcode, transport);
        return m.toWire(MAX_ANSWER);
    }

    /**
     * RFC 8945 5.2.3: a BADTIME answer is signed, carries the request's Time Signed and our time
     * in Other Data, and its MAC (4.3.3) covers that Other Data. dnsjava 3.6 digests "other
     * length 0" and then attaches six bytes, so no client can verify its MAC: computed here.
     */
    private byte[] badTime(Message m, TsigKeys ring, TSIGRecord req, String transport) {
        Name keyName = req.getName();
        Name alg = ring.algorithm(keyName);
        java.time.Instant signedAt = req.getTimeSigned();
        java.time.Duration fudge = TSIG.FUDGE;
        byte[] other = time48(java.time.Instant.now().getEpochSecond());
        byte[] unsigned = m.toWire(); // the answer without TSIG; its ID is the request's original ID
        org.xbill.DNS.DNSOutput d = new org.xbill.DNS.DNSOutput();
        d.writeU16(req.getSignature().length);
        d.writeByteArray(req.getSignature());
        d.writeByteArray(unsigned);
        keyName.toWireCanonical(d);
        d.writeU16(DClass.ANY);
        d.writeU32(0);
        alg.toWireCanonical(d);
        d.writeByteArray(time48(signedAt.getEpochSecond()));
        d.writeU16((int) fudge.getSeconds());
        d.writeU16(Rcode.BADTIME);
        d.writeU16(other.length);
        d.writeByteArray(other);
        byte[] mac = ring.mac(keyName).doFinal(d.toByteArray());
        m.addRecord(new TSIGRecord(keyName, DClass.ANY, 0, alg, signedAt, fudge, mac, m.getHeader().getID(),
                Rcode.BADTIME, other), Section.ADDITIONAL);
        counters.answered(Rcode.NOTAUTH, transport);
        return m.toWire(MAX_ANSWER);
    }

    private static byte[] time48(long seconds) {
        byte[] b = new byte[6];
        for (int i = 5; i >= 0; i--) {
            b[i] = (byte) seconds;
            seconds >>>= 8;
        }
        return b;
    }

    /** RFC 8945 5.3.2: BADKEY and BADSIG answers carry a TSIG record with an empty MAC. */
    private byte[] unsignedTsigError(int id, int opcode, Record question, TSIGRecord req, int error, String transport) {
        counters.tsigRejected();
        Message m = answerMessage(id, opcode, question, Rcode.NOTAUTH);
        m.addRecord(new TSIGRecord(req.getName(), DClass.ANY, 0, req.getAlgorithm(), req.getTimeSigned(),
                req.getFudge(), new byte[0], req.getOriginalID(), error, null), Section.ADDITIONAL);
        return finish(m, Rcode.NOTAUTH, transport);
    }
}
