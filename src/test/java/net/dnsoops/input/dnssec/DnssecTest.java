package net.dnsoops.input.dnssec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import net.dnsoops.core.SignatureExpiry;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** The latest RRSIG expiration per RRset is what counts: one valid signature keeps it valid. */
class DnssecTest {
    static final Name Z = Name.fromConstantString("signed.test.");

    static RRSIGRecord sig(int covered, Instant expire, int footprint) {
        return new RRSIGRecord(Z, DClass.IN, 60, covered, 13, 60, expire, expire.minusSeconds(86400), footprint, Z,
                new byte[64]);
    }

    @Test
    void latestExpirationPerOwnerAndType() {
        Instant t = Instant.parse("2030-01-01T00:00:00Z");
        List<Record> rs = List.of(sig(Type.SOA, t, 1), sig(Type.SOA, t.plusSeconds(3600), 2), sig(Type.DNSKEY, t, 1));
        List<SignatureExpiry> got = DnssecInput.latest(rs);
        assertEquals(2, got.size());
        SignatureExpiry soa = got.stream().filter(s -> s.type().equals("SOA")).findFirst().orElseThrow();
        assertEquals(t.plusSeconds(3600), soa.expiration());
        assertEquals(Z, soa.owner());
    }
}
