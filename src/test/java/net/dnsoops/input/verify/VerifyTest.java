package net.dnsoops.input.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.dnsoops.core.VerifyRequest;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.Name;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.ZoneMDRecord;

/** ZONEMD and RRSIG checks of a transferred zone, on zones built in memory. */
class VerifyTest {
    static final Name Z = Name.fromConstantString("example.");
    static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

    static List<Record> zone(long serial) throws Exception {
        List<Record> rs = new ArrayList<>();
        rs.add(new SOARecord(Z, DClass.IN, 86400, Name.fromString("ns1.example."), Name.fromString("admin.example."),
                serial, 1800, 900, 604800, 86400));
        rs.add(new NSRecord(Z, DClass.IN, 86400, Name.fromString("ns1.example.")));
        rs.add(new NSRecord(Z, DClass.IN, 86400, Name.fromString("NS2.example.")));
        rs.add(new ARecord(Name.fromString("ns1.example."), DClass.IN, 3600, java.net.InetAddress.getByName("203.0.113.63")));
        return rs;
    }

    static List<Record> withZonemd(List<Record> rs, long serial) {
        List<Record> out = new ArrayList<>(rs);
        out.add(new ZoneMDRecord(Z, DClass.IN, 86400, serial, 1, 1, ZoneDigest.compute(Z, rs, 1)));
        return out;
    }

    @Test
    void zonemdMatchesIndependentOfOrderCaseAndDuplicatesAndExcludesItself() throws Exception {
        List<Record> rs = withZonemd(zone(7), 7);
        assertNull(ZoneDigest.check(Z, rs, 7));
        List<Record> shuffled = new ArrayList<>(rs);
        java.util.Collections.reverse(shuffled);
        shuffled.add(rs.get(1)); // a duplicate counts once
        assertNull(ZoneDigest.check(Z, shuffled, 7));
        assertEquals(48, ((ZoneMDRecord) rs.get(rs.size() - 1)).getDigest().length);
    }

    @Test
    void aChangedRecordOrSerialBreaksTheZonemd() throws Exception {
        List<Record> rs = withZonemd(zone(7), 7);
        rs.set(3, new ARecord(Name.fromString("ns1.example."), DClass.IN, 3600, java.net.InetAddress.getByName("203.0.113.64")));
        assertTrue(ZoneDigest.check(Z, rs, 7).contains("does not match"));
        assertTrue(ZoneDigest.check(Z, withZonemd(zone(7), 6), 7).contains("serial"));
        assertEquals("none", ZoneDigest.check(Z, zone(7), 7));
    }

    @Test
    void judgeAppliesZonemdModesAndTheVerifiedSerial() throws Exception {
        VerifyConfig c = new VerifyConfig();
        c.zones = List.of(Z);
        VerifyInput in = new VerifyInput(List.of(c), Map.of(), Clock.fixed(NOW, ZoneOffset.UTC));
        VerifyRequest req = new VerifyRequest(Z, 7, null);
        assertNull(in.judge(c, req, zone(7)), "if-present: a zone without ZONEMD is fine");
        c.zonemd = "required";
        assertTrue(in.judge(c, req, zone(7)).contains("no usable ZONEMD"));
        assertNull(in.judge(c, req, withZonemd(zone(7), 7)));
        assertTrue(in.judge(c, new VerifyRequest(Z, 8, null), withZonemd(zone(7), 7)).contains("not the verified serial 8"));
    }

    @Test
    void everyRrsigMustVerifyWithAnApexKeyAndEveryAuthoritativeRrsetBeSigned() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair kp = g.generateKeyPair();
        DNSKEYRecord key = new DNSKEYRecord(Z, DClass.IN, 3600, 257, 3, 13, kp.getPublic());
        List<Record> rs = zone(7);
        rs.add(key);
        List<Record> signed = new ArrayList<>(rs);
        for (int[] t : new int[][] {{0}, {1, 2}, {3}, {4}}) { // SOA, NS, ns1 A, DNSKEY
            RRset set = new RRset(rs.get(t[0]));
            if (t.length > 1) set.addRR(rs.get(t[1]));
            signed.add(DNSSEC.sign(set, key, kp.getPrivate(), NOW.minusSeconds(3600), NOW.plusSeconds(86400)));
        }
        assertNull(ZoneSignatures.check(Z, signed, NOW));
        assertNull(ZoneSignatures.check(Z, zone(7), NOW), "an unsigned zone is not checked");
        assertTrue(ZoneSignatures.check(Z, signed, NOW.plusSeconds(2 * 86400)).contains("does not verify"), "expired");
        List<Record> forged = new ArrayList<>(signed);
        forged.set(3, new ARecord(Name.fromString("ns1.example."), DClass.IN, 3600, java.net.InetAddress.getByName("192.0.2.1")));
        assertTrue(ZoneSignatures.check(Z, forged, NOW).startsWith("ns1.example. A RRSIG"));
        List<Record> noSoaSig = new ArrayList<>(signed);
        noSoaSig.removeIf(r -> r instanceof RRSIGRecord s && s.getTypeCovered() == org.xbill.DNS.Type.SOA);
        assertEquals("the apex SOA is not signed", ZoneSignatures.check(Z, noSoaSig, NOW));
        List<Record> noNsSig = new ArrayList<>(signed);
        noNsSig.removeIf(r -> r instanceof RRSIGRecord s && s.getTypeCovered() == org.xbill.DNS.Type.NS);
        assertEquals("example. NS is not signed", ZoneSignatures.check(Z, noNsSig, NOW));
        // A delegation's NS and its glue are not signed, by design; its DS is.
        List<Record> delegated = new ArrayList<>(signed);
        delegated.add(new NSRecord(Name.fromString("sub.example."), DClass.IN, 60, Name.fromString("ns.sub.example.")));
        delegated.add(new ARecord(Name.fromString("ns.sub.example."), DClass.IN, 60, java.net.InetAddress.getByName("192.0.2.9")));
        assertNull(ZoneSignatures.check(Z, delegated, NOW));
        delegated.add(new org.xbill.DNS.DSRecord(Name.fromString("sub.example."), DClass.IN, 60, 1, 13, 2, new byte[32]));
        assertEquals("sub.example. DS is not signed", ZoneSignatures.check(Z, delegated, NOW));
        assertTrue(kp.getPublic() instanceof ECPublicKey);
    }
}
