package net.dnsoops.input.soa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Random;
import net.dnsoops.core.CheckResult;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The SOA answer fast path decides exactly as dnsjava + SoaAnswer.judge, or steps aside. */
class SoaAnswerFastPathTest {
    private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 53);
    private static final Name ZONE = Name.fromConstantString("Example.ORG.");

    private static byte[] answer(Name owner, boolean aa, int rcode, boolean withAuthority, boolean withOpt) {
        Message m = new Message(0x1234);
        m.getHeader().setFlag(Flags.QR);
        if (aa) m.getHeader().setFlag(Flags.AA);
        m.getHeader().setRcode(rcode);
        m.addRecord(Record.newRecord(ZONE, Type.SOA, DClass.IN), Section.QUESTION);
        m.addRecord(new SOARecord(owner, DClass.IN, 3600, Name.fromConstantString("ns1.example.org."),
                Name.fromConstantString("hostmaster.example.org."), 2026120201L, 7200, 900, 1209600, 300), Section.ANSWER);
        if (withAuthority) {
            m.addRecord(new NSRecord(ZONE, DClass.IN, 3600, Name.fromConstantString("ns1.example.org.")), Section.AUTHORITY);
            m.addRecord(new org.xbill.DNS.ARecord(Name.fromConstantString("ns1.example.org."), DClass.IN, 3600,
                    java.net.InetAddress.getLoopbackAddress()), Section.ADDITIONAL);
        }
        if (withOpt) m.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
        return m.toWire();
    }

    @Test
    void readsThePlainAuthoritativeAnswerAsTheFullPathDoes() throws IOException {
        byte[] w = answer(ZONE, true, Rcode.NOERROR, false, false);
        CheckResult fast = SoaAnswerFastPath.judge(Name.fromConstantString("example.org."),
                Name.fromConstantString("example.org.").toWire(), w, SERVER);
        assertNotNull(fast, "the common answer takes the fast path");
        CheckResult full = SoaAnswer.judge(Name.fromConstantString("example.org."), new Message(w), SERVER, false);
        assertEquals(full, fast);
        assertEquals(2026120201L, fast.serial());
        assertEquals(1209600, fast.expire());
    }

    @Test
    void leavesEverythingElseToTheFullPath() throws IOException {
        byte[] zw = ZONE.toWire();
        assertNull(SoaAnswerFastPath.judge(ZONE, zw, answer(ZONE, false, Rcode.NOERROR, false, false), SERVER), "not AA");
        assertNull(SoaAnswerFastPath.judge(ZONE, zw, answer(ZONE, true, Rcode.SERVFAIL, false, false), SERVER), "rcode");
        assertNotNull(SoaAnswerFastPath.judge(ZONE, zw, answer(ZONE, true, Rcode.NOERROR, true, false), SERVER),
                "NS in authority and glue, as NSD and BIND send");
        assertNotNull(SoaAnswerFastPath.judge(ZONE, zw, answer(ZONE, true, Rcode.NOERROR, true, true), SERVER),
                "an OPT without options, as servers answer our EDNS query");
        Message withEde = new Message(answer(ZONE, true, Rcode.NOERROR, false, false));
        withEde.addRecord(new OPTRecord(1232, 0, 0, 0, java.util.List.of(new org.xbill.DNS.ExtendedErrorCodeOption(3))),
                Section.ADDITIONAL);
        assertNull(SoaAnswerFastPath.judge(ZONE, zw, withEde.toWire(), SERVER), "an EDE: the full path reports it");
        Name other = Name.fromConstantString("other.org.");
        assertNull(SoaAnswerFastPath.judge(other, other.toWire(), answer(ZONE, true, Rcode.NOERROR, false, false), SERVER),
                "another zone's question");
        byte[] tc = answer(ZONE, true, Rcode.NOERROR, false, false);
        tc[2] |= 0x02;
        assertNull(SoaAnswerFastPath.judge(ZONE, zw, tc, SERVER), "truncated");
    }

    /** Random corruption of real answers: whenever the fast path answers, dnsjava agrees. */
    @Test
    void neverAcceptsWhatTheFullPathWouldJudgeDifferently() {
        Random r = new Random(7);
        int fastTaken = 0;
        for (int i = 0; i < 100_000; i++) {
            byte[] w = answer(i % 3 == 0 ? Name.fromConstantString("example.org.") : ZONE, true, Rcode.NOERROR,
                    i % 2 == 0, i % 5 < 3);
            int flips = 1 + r.nextInt(3);
            for (int k = 0; k < flips; k++) {
                int at = r.nextInt(w.length);
                w[at] = r.nextInt(4) == 0 ? (byte) r.nextInt(256) : (byte) (w[at] ^ (1 << r.nextInt(8)));
            }
            if (r.nextInt(10) == 0) w = java.util.Arrays.copyOf(w, r.nextInt(w.length + 8));
            CheckResult fast = SoaAnswerFastPath.judge(ZONE, ZONE.toWire(), w, SERVER);
            if (fast == null) continue;
            fastTaken++;
            Message m;
            try {
                m = new Message(w);
            } catch (IOException | RuntimeException e) {
                throw new AssertionError("fast path accepted bytes dnsjava rejects: " + java.util.HexFormat.of().formatHex(w), e);
            }
            Record q = m.getQuestion();
            assertTrue(q != null && q.getName().equals(ZONE) && q.getType() == Type.SOA);
            String hex = java.util.HexFormat.of().formatHex(w);
            assertEquals(SoaAnswer.judge(ZONE, m, SERVER, false), fast, hex);
        }
        assertTrue(fastTaken > 1000, "mutations that keep the answer valid still take the fast path: " + fastTaken);
    }
}
