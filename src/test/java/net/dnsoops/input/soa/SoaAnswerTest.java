package net.dnsoops.input.soa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import net.dnsoops.core.CheckResult;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Only an authoritative NOERROR answer carrying the zone's SOA verifies a serial. */
class SoaAnswerTest {
    static final Name ZONE = Name.fromConstantString("a.test.");
    static final InetSocketAddress SERVER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 53);

    static Message answer(boolean aa, int rcode, Name owner) {
        Message m = Message.newQuery(Record.newRecord(ZONE, Type.SOA, DClass.IN));
        m.getHeader().setFlag(Flags.QR);
        if (aa) m.getHeader().setFlag(Flags.AA);
        m.getHeader().setRcode(rcode);
        if (owner != null) {
            m.addRecord(new SOARecord(owner, DClass.IN, 60, Name.fromConstantString("ns.a.test."),
                    Name.fromConstantString("hostmaster.a.test."), 2024010101L, 3600, 10, 86400, 60), Section.ANSWER);
        }
        return m;
    }

    @Test
    void authoritativeSoaIsASuccessWithItsTimers() {
        CheckResult r = SoaAnswer.judge(ZONE, answer(true, Rcode.NOERROR, ZONE), SERVER, false);
        assertTrue(r.success());
        assertEquals(2024010101L, r.serial());
        assertEquals(3600, r.refresh());
        assertEquals(10, r.retry());
        assertEquals(86400, r.expire());
    }

    @Test
    void nonAuthoritativeErrorAndMissingSoaAreFailures() {
        CheckResult notAa = SoaAnswer.judge(ZONE, answer(false, Rcode.NOERROR, ZONE), SERVER, false);
        assertFalse(notAa.success());
        assertTrue(notAa.failure().contains("not authoritative"), notAa.failure());
        CheckResult servfail = SoaAnswer.judge(ZONE, answer(true, Rcode.SERVFAIL, null), SERVER, false);
        assertTrue(servfail.failure().startsWith("SERVFAIL"), servfail.failure());
        CheckResult otherOwner = SoaAnswer.judge(ZONE, answer(true, Rcode.NOERROR, Name.fromConstantString("b.test.")), SERVER, false);
        assertFalse(otherOwner.success());
    }
}
