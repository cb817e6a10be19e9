package net.dnsoops.input.notify;

import java.net.InetAddress;
import java.util.Set;
import net.dnsoops.config.TsigKeys;
import net.dnsoops.core.CoreSink;
import net.dnsoops.testsupport.FakeCore;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Hostile bytes at the decoder: whatever comes in, the responder never throws, and what it
 * sends back (if anything) is a well-formed response to that ID with one of the RCODEs it may
 * use. Mutations of a valid NOTIFY reach deep into the parser (counts, compression, lengths).
 */
class NotifyResponderFuzzTest {
    static final Set<Integer> RCODES = Set.of(Rcode.NOERROR, Rcode.FORMERR, Rcode.NOTIMP, Rcode.NOTAUTH, Rcode.REFUSED);
    static final CoreSink CORE = FakeCore.accepting("a.test.");
    final NotifyResponder responder = new NotifyResponder(CORE, new NotifyCounters(), () -> TsigKeys.NONE);

    static byte[] validNotify() {
        Message m = new Message(0x4242);
        m.getHeader().setOpcode(Opcode.NOTIFY);
        m.getHeader().setFlag(Flags.AA);
        m.addRecord(Record.newRecord(Name.fromConstantString("a.test."), Type.SOA, DClass.IN), Section.QUESTION);
        return m.toWire();
    }

    void check(byte[] wire) throws Exception {
        byte[] out = responder.respond(wire, InetAddress.getLoopbackAddress(), "udp");
        if (out == null) return;
        Message a = new Message(out);
        int id = ((wire[0] & 0xff) << 8) | (wire[1] & 0xff);
        if (a.getHeader().getID() != id) throw new AssertionError("answer ID differs from the request's");
        if (!a.getHeader().getFlag(Flags.QR)) throw new AssertionError("answer without QR");
        if (!RCODES.contains(a.getRcode())) throw new AssertionError("unexpected rcode " + a.getRcode());
    }

    @Property(tries = 20000)
    void randomBytesNeverBreakTheResponder(@ForAll @Size(max = 600) byte[] wire) throws Exception {
        check(wire);
    }

    @Provide
    Arbitrary<byte[]> mutatedNotifies() {
        byte[] base = validNotify();
        return Arbitraries.integers().between(1, 8).flatMap(n -> Arbitraries.integers().between(0, base.length - 1)
                .list().ofSize(n).flatMap(positions -> Arbitraries.bytes().list().ofSize(n).map(values -> {
                    byte[] b = base.clone();
                    for (int i = 0; i < n; i++) b[positions.get(i)] = values.get(i);
                    return b;
                })));
    }

    @Property(tries = 20000)
    void mutatedNotifiesNeverBreakTheResponder(@ForAll("mutatedNotifies") byte[] wire) throws Exception {
        check(wire);
    }

    /** A NOTIFY as NSD and BIND send it: with the SOA in the answer section. */
    static byte[] notifyWithSoa() {
        Message m = new Message(0x4343);
        m.getHeader().setOpcode(Opcode.NOTIFY);
        m.getHeader().setFlag(Flags.AA);
        Name zone = Name.fromConstantString("a.test.");
        m.addRecord(Record.newRecord(zone, Type.SOA, DClass.IN), Section.QUESTION);
        m.addRecord(new org.xbill.DNS.SOARecord(zone, DClass.IN, 60, Name.fromConstantString("ns.a.test."),
                Name.fromConstantString("h.a.test."), 2024010101L, 3600, 10, 86400, 60), Section.ANSWER);
        return m.toWire();
    }

    @Provide
    Arbitrary<byte[]> mutatedNotifiesWithSoa() {
        byte[] base = notifyWithSoa();
        return Arbitraries.integers().between(0, 3).flatMap(n -> Arbitraries.integers().between(0, base.length - 1)
                .list().ofSize(n).flatMap(positions -> Arbitraries.bytes().list().ofSize(n).map(values -> {
                    byte[] b = base.clone();
                    for (int i = 0; i < n; i++) b[positions.get(i)] = values.get(i);
                    return b;
                })));
    }

    /** The wire fast path must answer exactly as the full parser would. */
    @Property(tries = 20000)
    void theFastPathAnswersExactlyLikeTheFullParser(@ForAll("mutatedNotifiesWithSoa") byte[] wire) {
        NotifyResponder slow = new NotifyResponder(CORE, new NotifyCounters(), () -> TsigKeys.NONE);
        slow.fastPath = false;
        byte[] a = responder.respond(wire, InetAddress.getLoopbackAddress(), "udp");
        byte[] b = slow.respond(wire, InetAddress.getLoopbackAddress(), "udp");
        if (!java.util.Arrays.equals(a, b)) {
            throw new AssertionError("fast " + java.util.Arrays.toString(a) + "\nslow " + java.util.Arrays.toString(b));
        }
    }

    @Property(tries = 2000)
    void truncatedAndExtendedNotifiesNeverBreakTheResponder(@ForAll("cuts") int cut) throws Exception {
        byte[] base = validNotify();
        byte[] b = java.util.Arrays.copyOf(base, cut); // shorter, or padded with zeros
        check(b);
    }

    @Provide
    Arbitrary<Integer> cuts() {
        return Arbitraries.integers().between(0, 200);
    }

    @Property(tries = 1)
    void aCompressionLoopIsRejectedNotFollowedForever() throws Exception {
        byte[] b = new byte[] {0x42, 0x42, 0x20, 0, 0, 1, 0, 0, 0, 0, 0, 0, (byte) 0xc0, 12, 0, 6, 0, 1};
        check(b); // name pointer to itself
    }
}
