package net.dnsoops.input.notify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import net.dnsoops.core.Admission;
import net.dnsoops.testsupport.FakeCore;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The RCODE matrix of RFC 1996 answers, and silence where no answer is right. */
class NotifyResponderTest {
    static final InetAddress PRIMARY = InetAddress.getLoopbackAddress();

    /** Knows one zone, "a.test.", which only the loopback address may notify. */
    final FakeCore core = new FakeCore((zone, source, key) -> !zone.equals(Name.fromConstantString("a.test."))
            ? Admission.NOT_CONFIGURED : source.isLoopbackAddress() ? Admission.ACCEPTED : Admission.REFUSED);
    /** For the TSIG test: zone "k.test." requires key "k1". */
    FakeCore keyedCore;

    /** What the core was told, as "zone source transport". */
    List<String> notified() {
        return core.notified(n -> n.zone() + " " + n.source().getHostAddress() + " " + n.transport());
    }
    final NotifyResponder responder = new NotifyResponder(core, new NotifyCounters(), () -> net.dnsoops.config.TsigKeys.NONE);

    static Message notify(String zone, int type) {
        Message m = new Message(0x1234);
        m.getHeader().setOpcode(Opcode.NOTIFY);
        m.getHeader().setFlag(Flags.AA);
        m.addRecord(Record.newRecord(Name.fromConstantString(zone), type, DClass.IN), Section.QUESTION);
        return m;
    }

    Message answer(byte[] wire, InetAddress from) throws Exception {
        byte[] out = responder.respond(wire, from, "udp");
        return out == null ? null : new Message(out);
    }

    @Test
    void acceptedNotifyIsAnsweredNoerrorAtOnceWithTheQuestionEchoed() throws Exception {
        Message a = answer(notify("a.test.", Type.SOA).toWire(), PRIMARY);
        assertEquals(Rcode.NOERROR, a.getRcode());
        assertEquals(0x1234, a.getHeader().getID());
        assertTrue(a.getHeader().getFlag(Flags.QR));
        assertTrue(a.getHeader().getFlag(Flags.AA));
        assertEquals(Opcode.NOTIFY, a.getHeader().getOpcode());
        assertEquals(Name.fromConstantString("a.test."), a.getQuestion().getName());
        assertEquals(Type.SOA, a.getQuestion().getType());
        assertEquals(List.of("a.test. 127.0.0.1 udp"), notified());
    }

    @Test
    void zoneNamesMatchCaseInsensitively() throws Exception {
        assertEquals(Rcode.NOERROR, answer(notify("A.TeSt.", Type.SOA).toWire(), PRIMARY).getRcode());
        assertEquals(1, notified().size());
    }

    @Test
    void unknownZoneIsNotauthAndTriggersNothing() throws Exception {
        assertEquals(Rcode.NOTAUTH, answer(notify("b.test.", Type.SOA).toWire(), PRIMARY).getRcode());
        assertTrue(notified().isEmpty());
    }

    @Test
    void disallowedSourceIsRefusedAndTriggersNoQuery() throws Exception {
        Message a = answer(notify("a.test.", Type.SOA).toWire(), InetAddress.getByName("192.0.2.7"));
        assertEquals(Rcode.REFUSED, a.getRcode());
        assertTrue(notified().isEmpty(), "no SOA query may be caused by a refused NOTIFY");
    }

    @Test
    void wrongQtypeOrQuestionCountIsFormerr() throws Exception {
        assertEquals(Rcode.FORMERR, answer(notify("a.test.", Type.A).toWire(), PRIMARY).getRcode());
        Message two = notify("a.test.", Type.SOA);
        two.addRecord(Record.newRecord(Name.fromConstantString("a.test."), Type.SOA, DClass.IN), Section.QUESTION);
        assertEquals(Rcode.FORMERR, answer(two.toWire(), PRIMARY).getRcode());
        Message none = new Message(7);
        none.getHeader().setOpcode(Opcode.NOTIFY);
        assertEquals(Rcode.FORMERR, answer(none.toWire(), PRIMARY).getRcode());
        assertTrue(notified().isEmpty());
    }

    @Test
    void otherOpcodesAreNotimp() throws Exception {
        Message q = Message.newQuery(Record.newRecord(Name.fromConstantString("a.test."), Type.SOA, DClass.IN));
        Message a = answer(q.toWire(), PRIMARY);
        assertEquals(Rcode.NOTIMP, a.getRcode());
        assertEquals(Opcode.QUERY, a.getHeader().getOpcode());
        Message update = notify("a.test.", Type.SOA);
        update.getHeader().setOpcode(Opcode.UPDATE);
        assertEquals(Rcode.NOTIMP, answer(update.toWire(), PRIMARY).getRcode());
    }

    @Test
    void aNotifyThatDoesNotParseIsFormerrWithItsId() throws Exception {
        byte[] wire = notify("a.test.", Type.SOA).toWire();
        byte[] truncated = Arrays.copyOf(wire, wire.length - 3);
        Message a = answer(truncated, PRIMARY);
        assertEquals(Rcode.FORMERR, a.getRcode());
        assertEquals(0x1234, a.getHeader().getID());
        assertTrue(notified().isEmpty());
    }

    @Test
    void bytesThatAreNotADnsHeaderAndResponsesGetSilence() throws Exception {
        assertNull(responder.respond(new byte[0], PRIMARY, "udp"));
        assertNull(responder.respond(new byte[11], PRIMARY, "udp"));
        Message response = notify("a.test.", Type.SOA);
        response.getHeader().setFlag(Flags.QR);
        assertNull(responder.respond(response.toWire(), PRIMARY, "udp"), "never answer an answer: no loops");
        assertTrue(notified().isEmpty());
    }

    static final String SECRET = "0ZtftnME+BVvqzZh6yUk83SAaGpS2LMXxJfiB3xDJ1U=";

    /** A responder whose zone "k.test." requires key "k1"; "k2" is known but not this zone's. */
    NotifyResponder withKeys() throws Exception {
        net.dnsoops.config.DnsOopsConfig c = net.dnsoops.config.ConfigLoader.parse("{ \"keys\": {"
                + " \"k1\": { \"secret\": \"" + SECRET + "\" }, \"k2\": { \"secret\": \"" + SECRET + "\" } },"
                + " \"zones\": { \"k.test.\": { \"notify-key\": \"k1\" } } }", "t.json");
        net.dnsoops.core.ZoneSettings zone = c.zoneSettings().get(0);
        keyedCore = new FakeCore((z, source, key) ->
                net.dnsoops.core.ZoneWatcher.admit(z.equals(zone.name()) ? zone : null, source, key));
        return new NotifyResponder(keyedCore, new NotifyCounters(), c::keyRing);
    }

    static byte[] signed(String zone, org.xbill.DNS.TSIG key) {
        Message m = notify(zone, Type.SOA);
        m.setTSIG(key, Rcode.NOERROR, null);
        return m.toWire(65535);
    }

    @Test
    void tsigVerdictsFollowRfc8945AndOnlyTheRightKeyTriggersACheck() throws Exception {
        NotifyResponder r = withKeys();
        org.xbill.DNS.TSIG k1 = new org.xbill.DNS.TSIG(org.xbill.DNS.TSIG.HMAC_SHA256, "k1", SECRET);
        byte[] request = signed("k.test.", k1);
        byte[] answer = r.respond(request, PRIMARY, "udp");
        Message ok = new Message(answer);
        assertEquals(Rcode.NOERROR, ok.getRcode());
        assertEquals(Rcode.NOERROR, k1.verify(ok, answer, new Message(request).getTSIG()), "the answer is signed with k1");
        assertEquals(1, keyedCore.notifies.size());
        keyedCore.notifies.clear();

        Message unsigned = new Message(r.respond(notify("k.test.", Type.SOA).toWire(), PRIMARY, "udp"));
        assertEquals(Rcode.NOTAUTH, unsigned.getRcode());

        org.xbill.DNS.TSIG k2 = new org.xbill.DNS.TSIG(org.xbill.DNS.TSIG.HMAC_SHA256, "k2", SECRET);
        Message otherKey = new Message(r.respond(signed("k.test.", k2), PRIMARY, "udp"));
        assertEquals(Rcode.NOTAUTH, otherKey.getRcode());
        assertEquals(Rcode.BADKEY, otherKey.getTSIG().getError());

        org.xbill.DNS.TSIG unknown = new org.xbill.DNS.TSIG(org.xbill.DNS.TSIG.HMAC_SHA256, "k3", SECRET);
        assertEquals(Rcode.BADKEY, new Message(r.respond(signed("k.test.", unknown), PRIMARY, "udp")).getTSIG().getError());

        org.xbill.DNS.TSIG forged = new org.xbill.DNS.TSIG(org.xbill.DNS.TSIG.HMAC_SHA256, "k1",
                "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
        Message bad = new Message(r.respond(signed("k.test.", forged), PRIMARY, "udp"));
        assertEquals(Rcode.NOTAUTH, bad.getRcode());
        assertEquals(Rcode.BADSIG, bad.getTSIG().getError());
        assertEquals(0, bad.getTSIG().getSignature().length, "BADSIG answers carry no MAC");

        java.time.Clock anHourAgo = java.time.Clock.offset(java.time.Clock.systemUTC(), java.time.Duration.ofHours(-1));
        org.xbill.DNS.TSIG stale = new org.xbill.DNS.TSIG(org.xbill.DNS.TSIG.HMAC_SHA256, Name.fromConstantString("k1."),
                new javax.crypto.spec.SecretKeySpec(java.util.Base64.getDecoder().decode(SECRET), "HmacSHA256"), anHourAgo);
        Message late = new Message(r.respond(signed("k.test.", stale), PRIMARY, "udp"));
        assertEquals(Rcode.NOTAUTH, late.getRcode());
        assertEquals(Rcode.BADTIME, late.getTSIG().getError());
        assertTrue(keyedCore.notifies.isEmpty(), "no rejected NOTIFY may cause a check");
    }

    /** As ldns-notify -y name:secret sends it: the right key name, hmac-md5 (its default) instead of the key's. */
    @Test
    void theRightKeyNameWithAnotherAlgorithmIsBadkeyNotBadsig() throws Exception {
        NotifyResponder r = withKeys();
        org.xbill.DNS.TSIG md5 = new org.xbill.DNS.TSIG(org.xbill.DNS.TSIG.HMAC_MD5, "k1", SECRET);
        Message a = new Message(r.respond(signed("k.test.", md5), PRIMARY, "udp"));
        assertEquals(Rcode.NOTAUTH, a.getRcode());
        assertEquals(Rcode.BADKEY, a.getTSIG().getError());
        assertEquals(0, a.getTSIG().getSignature().length, "BADKEY answers carry no MAC");
        assertTrue(keyedCore.notifies.isEmpty());
    }

    /**
     * The BADTIME answer checked by dnspython: its MAC verifies against the request's, Time Signed
     * is the request's, and Other Data is our clock (RFC 8945 5.2.3).
     */
    @Test
    void aBadtimeAnswersMacVerifiesWithDnspythonAndCarriesOurTime() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(new java.io.File("/usr/bin/python3").canExecute(), "no /usr/bin/python3");
        NotifyResponder r = withKeys();
        java.time.Clock anHourAgo = java.time.Clock.offset(java.time.Clock.systemUTC(), java.time.Duration.ofHours(-1));
        org.xbill.DNS.TSIG stale = new org.xbill.DNS.TSIG(org.xbill.DNS.TSIG.HMAC_SHA256, Name.fromConstantString("k1."),
                new javax.crypto.spec.SecretKeySpec(java.util.Base64.getDecoder().decode(SECRET), "HmacSHA256"), anHourAgo);
        byte[] request = signed("k.test.", stale);
        long before = java.time.Instant.now().getEpochSecond();
        byte[] answer = r.respond(request, PRIMARY, "udp");
        long after = java.time.Instant.now().getEpochSecond();
        java.nio.file.Path script = java.nio.file.Path.of("src/test/resources/tsig-verify.py").toAbsolutePath();
        Process p = new ProcessBuilder("/usr/bin/python3", script.toString(), "k1.", "hmac-sha256", SECRET,
                java.util.HexFormat.of().formatHex(request), java.util.HexFormat.of().formatHex(answer))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
        assertEquals(0, p.waitFor(), out);
        com.fasterxml.jackson.databind.JsonNode j = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out);
        assertEquals("ok", j.path("mac").asText(), out);
        assertEquals("NOTAUTH", j.path("rcode").asText(), out);
        assertEquals("BADTIME", j.path("error").asText(), out);
        assertEquals(new Message(request).getTSIG().getTimeSigned().getEpochSecond(), j.path("time_signed").asLong(), out);
        long ours = j.path("other").asLong();
        assertTrue(ours >= before && ours <= after, "Other Data " + ours + " is our time " + before + ".." + after);
    }

    @Test
    void answersAreDeterministicForTheSameInput() {
        byte[] wire = notify("a.test.", Type.SOA).toWire();
        assertArrayEquals(responder.respond(wire, PRIMARY, "udp"), responder.respond(wire, PRIMARY, "udp"));
    }
}
