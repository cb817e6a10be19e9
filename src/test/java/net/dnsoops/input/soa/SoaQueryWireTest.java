package net.dnsoops.input.soa;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import net.dnsoops.core.CheckResult;
import net.dnsoops.input.probe.ExtendedErrors;
import net.dnsoops.testsupport.FakeCore;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The SOA query's bytes (with EDNS), the lenient parse of answers, and which answers reach the core. */
class SoaQueryWireTest {
    static final Name ZONE = Name.fromConstantString("Nsd.Test.");
    static final InetSocketAddress SERVER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 53);

    /** An answer as NSD 4.6 gives for a zone it could not load: SERVFAIL + EDE 14 with text. */
    static Message notReady() {
        Message m = SoaAnswerTest.answer(false, Rcode.SERVFAIL, null);
        m.addRecord(new OPTRecord(1232, 0, 0, 0, List.of(new ExtendedErrorCodeOption(14, "Zone is configured but not loaded"))),
                Section.ADDITIONAL);
        return m;
    }

    /** The bytes UdpSoaClient sends for {@code zone} with message ID {@code id}. */
    static byte[] query(Name zone, int id) {
        byte[] zoneWire = zone.toWire();
        return SoaQueryWire.write(io.netty.buffer.Unpooled.buffer(SoaQueryWire.length(zoneWire)), id, zoneWire).array();
    }

    @Test
    void theQueryIsDnsjavasNonRecursiveSoaQueryWithAnOptRecordAndNothingElse() throws Exception {
        for (String zone : new String[] {".", "example.", "Nsd.Test.", "z12345.bench.",
                "a-very-long-label-of-sixty-three-characters-for-the-test-xxxxxx.example.org."}) {
            Name name = Name.fromString(zone);
            Message expected = Message.newQuery(Record.newRecord(name, Type.SOA, DClass.IN));
            expected.getHeader().setID(0xbeef);
            expected.getHeader().unsetFlag(org.xbill.DNS.Flags.RD); // a secondary's query to a primary
            expected.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
            byte[] wire = query(name, 0xbeef);
            assertArrayEquals(expected.toWire(), wire, zone);
            assertEquals(SoaQueryWire.length(name.toWire()), wire.length);
        }
        byte[] wire = query(ZONE, 0xbeef);
        OPTRecord opt = new Message(wire).getOPT();
        assertEquals(1232, opt.getPayloadSize());
        assertEquals(0, opt.getFlags(), "DO=0: no DNSSEC records wanted");
        assertEquals(0, opt.getVersion());
    }

    @Test
    void anErrorAnswersExtendedErrorIsReadAndNamedInTheFailure() {
        Message m = SoaQueryWire.parse(notReady().toWire());
        assertEquals(Map.of(14, "Zone is configured but not loaded"), ExtendedErrors.of(m, List.of()));
        CheckResult r = SoaAnswer.judge(SoaAnswerTest.ZONE, m, SERVER, false);
        assertFalse(r.success());
        assertEquals("SERVFAIL from 127.0.0.1@53 (EDE 14 Not Ready: Zone is configured but not loaded)", r.failure());
    }

    @Test
    void aMalformedExtendedErrorCostsTheEdeButNotTheAnswer() {
        byte[] wire = notReady().toWire();
        // The EDE option is last: code 15, length 2 + text. Claim length 1, shorter than its INFO-CODE.
        int text = "Zone is configured but not loaded".length();
        int optionLength = wire.length - text - 2 - 2;
        wire[optionLength] = 0;
        wire[optionLength + 1] = 1;
        Message m = SoaQueryWire.parse(wire);
        assertNotNull(m, "the answer is still read");
        assertEquals(Rcode.SERVFAIL, m.getRcode());
        assertEquals(SoaAnswerTest.ZONE, m.getQuestion().getName());
        assertEquals(Map.of(), ExtendedErrors.of(m, List.of()));
        assertNull(SoaQueryWire.parse(new byte[] {1, 2, 3}), "garbage stays garbage");
    }

    @Test
    void controlCharactersInTheServersTextAreNeutralised() {
        Message m = SoaAnswerTest.answer(true, Rcode.REFUSED, null);
        m.addRecord(new OPTRecord(1232, 0, 0, 0, List.of(new ExtendedErrorCodeOption(18, "no\nFAKE log line"))),
                Section.ADDITIONAL);
        assertEquals(Map.of(18, "no?FAKE log line"), ExtendedErrors.of(SoaQueryWire.parse(m.toWire()), List.of()));
    }

    @Test
    void onlyAnswersWithAnEdeOrAfterOneReachTheCore() {
        FakeCore core = new FakeCore();
        EdeReports reports = new EdeReports(core);
        reports.answered(SERVER, ZONE, Map.of());
        assertTrue(core.edes.isEmpty(), "no EDE, none before: the core is not bothered");
        reports.answered(SERVER, ZONE, Map.of(14, "x"));
        reports.answered(SERVER, ZONE, Map.of(14, "x"));
        reports.answered(SERVER, ZONE, Map.of());
        reports.answered(SERVER, ZONE, Map.of());
        assertEquals(List.of(
                new FakeCore.Ede("soa-check", "127.0.0.1@53", ZONE, Map.of(14, "x")),
                new FakeCore.Ede("soa-check", "127.0.0.1@53", ZONE, Map.of(14, "x")),
                new FakeCore.Ede("soa-check", "127.0.0.1@53", ZONE, Map.of())), core.edes,
                "the answer without the code is reported once, so the core can clear it");
    }

    @Test
    void idsCoverTheWholeSpaceWithoutAnObviousPattern() {
        QueryIds ids = new QueryIds();
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        int previous = -1;
        int repeatsOfPrevious = 0;
        for (int i = 0; i < 100_000; i++) {
            int id = ids.next16();
            assertEquals(id, id & 0xffff);
            if (id == previous) repeatsOfPrevious++;
            previous = id;
            seen.add(id);
        }
        // 100,000 draws from 65,536 values cover about 78% of them; a stuck or narrow generator does not.
        assertEquals(0.78, seen.size() / 65536.0, 0.03);
        assertEquals(0, repeatsOfPrevious, 5);
    }

    @Test
    void aSignedQueryIsTheSameQueryWithTheTsigLastAndVerifiesAtTheServer() throws Exception {
        org.xbill.DNS.TSIG key = new org.xbill.DNS.TSIG(org.xbill.DNS.TSIG.HMAC_SHA256, "k.", "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0IQ==");
        Message signed = SoaQueryWire.signed(ZONE, 4711, key);
        byte[] wire = signed.toWire();
        Message atServer = new Message(wire);
        assertEquals(4711, atServer.getHeader().getID());
        assertFalse(atServer.getHeader().getFlag(org.xbill.DNS.Flags.RD));
        assertEquals(ZONE, atServer.getQuestion().getName());
        assertEquals(Type.SOA, atServer.getQuestion().getType());
        List<Record> additional = atServer.getSection(Section.ADDITIONAL);
        assertEquals(List.of(Type.OPT, Type.TSIG), additional.stream().map(Record::getType).toList(), "OPT, then TSIG last");
        assertEquals(SoaQueryWire.UDP_PAYLOAD, atServer.getOPT().getPayloadSize());
        assertEquals(Rcode.NOERROR, key.verify(atServer, wire, null), "the server's key verifies it");
        org.xbill.DNS.TSIG other = new org.xbill.DNS.TSIG(org.xbill.DNS.TSIG.HMAC_SHA256, "k.", "b3RoZXItb3RoZXItb3RoZXItb3RoZXIhIQ==");
        assertEquals(Rcode.BADSIG, other.verify(new Message(wire), wire, null), "another secret does not");
    }
}
