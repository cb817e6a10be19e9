package net.dnsoops.input.soa;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import net.dnsoops.input.probe.ExtendedErrors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSIDOption;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;

/**
 * Hostile answers to SOA checks now that they carry OPT: whatever the bytes, reading the answer,
 * its EDEs and its verdict never throws; and a broken OPT record (its length, options, codes,
 * text) never costs the answer itself, only its EDEs. (Before the lenient parse, an EDE shorter
 * than its code made dnsjava reject the whole answer and the check time out.)
 */
class SoaAnswerFuzzTest {
    static final InetSocketAddress SERVER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 53);

    static byte[] answerWithOpt() {
        Message m = SoaAnswerTest.answer(true, Rcode.NOERROR, SoaAnswerTest.ZONE);
        m.addRecord(new OPTRecord(1232, 0, 0, 0, List.of(new NSIDOption(new byte[] {'n', 's'}),
                new ExtendedErrorCodeOption(3, "stale"), new ExtendedErrorCodeOption(18, ""))), Section.ADDITIONAL);
        return m.toWire();
    }

    /** The OPT record's length: root (1), type, class, TTL, RDLENGTH (10), and its RDATA. */
    static final int OPT_LENGTH;

    static {
        byte[] w = answerWithOpt();
        OPT_LENGTH = 11 + (4 + 2) + (4 + 2 + 5) + (4 + 2);
        if (w[w.length - OPT_LENGTH + 2] != 41) throw new IllegalStateException("OPT not where expected");
    }

    /** What SoaQuery does with an answer the UDP client accepted. */
    static void readAll(byte[] wire) {
        Message m = SoaQueryWire.parse(wire);
        if (m == null) return;
        m.getQuestion(); // the client matches it to the query
        if (m.getHeader().getFlag(Flags.TC)) return; // asked again over TCP; never judged
        ExtendedErrors.of(m, List.of());
        SoaAnswer.judge(SoaAnswerTest.ZONE, m, SERVER, false);
    }

    @Property(tries = 20000)
    void randomBytesNeverThrow(@ForAll @Size(max = 600) byte[] wire) {
        readAll(wire);
    }

    @Provide
    Arbitrary<byte[]> brokenOpt() {
        byte[] base = answerWithOpt();
        // RDLENGTH and the options. (Not the TTL: its first byte is the upper RCODE, and an answer
        // with an extended RCODE such as BADVERS is an error answer, rightly.)
        int from = base.length - OPT_LENGTH + 9;
        return Arbitraries.integers().between(1, 6).flatMap(n -> Arbitraries.integers().between(from, base.length - 1)
                .list().ofSize(n).flatMap(positions -> Arbitraries.bytes().list().ofSize(n).map(values -> {
                    byte[] b = base.clone();
                    for (int i = 0; i < n; i++) b[positions.get(i)] = values.get(i);
                    return b;
                })));
    }

    @Property(tries = 20000)
    void aBrokenOptNeverCostsTheAnswer(@ForAll("brokenOpt") byte[] wire) {
        Message m = SoaQueryWire.parse(wire);
        if (m == null) throw new AssertionError("answer lost");
        ExtendedErrors.of(m, List.of());
        if (!SoaAnswer.judge(SoaAnswerTest.ZONE, m, SERVER, false).success()) {
            throw new AssertionError("the SOA no longer verifies: " + SoaAnswer.judge(SoaAnswerTest.ZONE, m, SERVER, false));
        }
    }

    @Property(tries = 2000)
    void truncatedAnswersNeverThrow(@ForAll("cuts") int cut) {
        byte[] w = answerWithOpt();
        readAll(java.util.Arrays.copyOf(w, Math.min(cut, w.length)));
    }

    @Provide
    Arbitrary<Integer> cuts() {
        return Arbitraries.integers().between(0, answerWithOpt().length);
    }
}
