package net.dnsoops.input.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.dnsoops.core.VerifyRequest;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;

/** DS → DNSKEY: a DS must match a zone key that signs the DNSKEY RRset (zones built in memory). */
class ChainOfTrustTest {
    static final Name Z = VerifyTest.Z;

    static KeyPair ec() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    @Test
    void aDsMustMatchAKeyThatSignsTheDnskeyRrset() throws Exception {
        KeyPair ksk = ec();
        KeyPair zsk = ec();
        DNSKEYRecord kskKey = new DNSKEYRecord(Z, DClass.IN, 3600, 257, 3, 13, ksk.getPublic());
        DNSKEYRecord zskKey = new DNSKEYRecord(Z, DClass.IN, 3600, 256, 3, 13, zsk.getPublic());
        List<Record> zone = VerifyTest.zone(7);
        zone.add(kskKey);
        zone.add(zskKey);
        RRset keys = new RRset(kskKey);
        keys.addRR(zskKey);
        List<Record> signedByKsk = new ArrayList<>(zone);
        signedByKsk.add(DNSSEC.sign(keys, kskKey, ksk.getPrivate(), VerifyTest.NOW.minusSeconds(60), VerifyTest.NOW.plusSeconds(86400)));
        DSRecord kskDs = new DSRecord(Z, DClass.IN, 3600, DSRecord.SHA256_DIGEST_ID, kskKey);
        DSRecord zskDs = new DSRecord(Z, DClass.IN, 3600, DSRecord.SHA256_DIGEST_ID, zskKey);

        assertNull(ChainOfTrust.check(Z, signedByKsk, List.of(kskDs), VerifyTest.NOW));
        // The ZSK is in the RRset, but does not sign it: its DS does not start a chain.
        assertTrue(ChainOfTrust.check(Z, signedByKsk, List.of(zskDs), VerifyTest.NOW)
                .endsWith("but no RRSIG by it covers the DNSKEY RRset"));
        DSRecord wrongDigest = new DSRecord(Z, DClass.IN, 3600, kskDs.getFootprint(), 13, 2, new byte[32]);
        assertEquals("no DNSKEY of the zone matches a DS of the trust anchor [" + kskDs.getFootprint() + "/13/2]",
                ChainOfTrust.check(Z, signedByKsk, List.of(wrongDigest), VerifyTest.NOW));
        DSRecord otherZone = new DSRecord(Name.fromConstantString("other."), DClass.IN, 3600, DSRecord.SHA256_DIGEST_ID, kskKey);
        assertEquals("no DS record for example. in the trust anchor", ChainOfTrust.check(Z, signedByKsk, List.of(otherZone),
                VerifyTest.NOW));
        assertTrue(ChainOfTrust.check(Z, signedByKsk, List.of(kskDs), VerifyTest.NOW.plusSeconds(2 * 86400))
                .contains("does not verify"), "an expired self-signature breaks the chain");
        assertEquals("the zone has no DNSKEY, but a trust anchor is configured",
                ChainOfTrust.check(Z, VerifyTest.zone(7), List.of(kskDs), VerifyTest.NOW));
    }

    @Test
    void trustAnchorDsLinesAreParsedAndJudgedAfterTheSignatures() throws Exception {
        TrustAnchorConfig t = new TrustAnchorConfig();
        t.ds = List.of("example. 3600 IN DS 12345 13 2 49FD46E6C4B45C55D4AC69CBD3CD3440 9F0F3F0E3A25C2E4A53B6A8E1F7E4A1B");
        t.validate();
        assertEquals(12345, t.dsRecords().get(0).getFootprint());
        VerifyConfig c = new VerifyConfig();
        c.zones = List.of(Z);
        c.trustAnchor = t;
        c.validate();
        VerifyInput in = new VerifyInput(List.of(c), Map.of(), java.time.Clock.fixed(VerifyTest.NOW, java.time.ZoneOffset.UTC));
        // Unsigned but anchored: the chain check, not silence.
        assertEquals("the zone has no DNSKEY, but a trust anchor is configured",
                in.judge(c, new VerifyRequest(Z, 7, null), VerifyTest.zone(7), t.dsRecords()));
    }
}
