package net.dnsoops.input.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;

/** IXFR deltas applied to a kept zone: the result equals the new zone, or nothing is applied. */
class ZoneDeltaTest {
    static final Name Z = VerifyTest.Z;

    static Record soa(long serial) throws Exception {
        return new SOARecord(Z, DClass.IN, 86400, Name.fromString("ns1.example."), Name.fromString("admin.example."),
                serial, 1800, 900, 604800, 86400);
    }

    static Record a(String owner, String addr, long ttl) throws Exception {
        return new ARecord(Name.fromString(owner), DClass.IN, ttl, InetAddress.getByName(addr));
    }

    @Test
    void chainedDeltasGiveTheNewZoneWithAValidZonemd() throws Exception {
        List<Record> v7 = VerifyTest.zone(7);
        List<Record> v9 = new ArrayList<>(VerifyTest.zone(9));
        v9.remove(3); // ns1 A 203.0.113.63 goes ...
        v9.add(a("ns1.example.", "203.0.113.64", 3600));
        v9.add(a("www.example.", "192.0.2.80", 60));
        List<Record> v9md = VerifyTest.withZonemd(v9, 9);
        List<ZoneDelta> deltas = List.of(
                // 7 -> 8: www added; the owner's case differs from the later delete, as servers may send it.
                new ZoneDelta(7, 8, List.of(soa(7)), List.of(soa(8), a("WWW.example.", "192.0.2.80", 60))),
                // 8 -> 9: ns1's address changes (delete + add), ZONEMD added.
                new ZoneDelta(8, 9, List.of(soa(8), a("ns1.example.", "203.0.113.63", 3600)),
                        List.of(soa(9), a("ns1.example.", "203.0.113.64", 3600), v9md.get(v9md.size() - 1))));
        List<Record> applied = ZoneDelta.apply(v7, 7, deltas);
        assertEquals(new java.util.HashSet<>(v9md), new java.util.HashSet<>(applied));
        assertEquals(v9md.size(), applied.size());
        assertNull(ZoneDigest.check(Z, applied, 9), "the applied zone digests like the server's");
    }

    @Test
    void aDeltaThatDoesNotFitTheKeptCopyIsRefused() throws Exception {
        List<Record> v7 = VerifyTest.zone(7);
        ZoneDelta.Mismatch wrongStart = assertThrows(ZoneDelta.Mismatch.class,
                () -> ZoneDelta.apply(v7, 7, List.of(new ZoneDelta(6, 8, List.of(soa(6)), List.of(soa(8))))));
        assertTrue(wrongStart.getMessage().contains("starts at serial 6"), wrongStart.getMessage());
        ZoneDelta.Mismatch missing = assertThrows(ZoneDelta.Mismatch.class, () -> ZoneDelta.apply(v7, 7,
                List.of(new ZoneDelta(7, 8, List.of(soa(7), a("gone.example.", "192.0.2.1", 60)), List.of(soa(8))))));
        assertTrue(missing.getMessage().contains("gone.example."), missing.getMessage());
        ZoneDelta.Mismatch gap = assertThrows(ZoneDelta.Mismatch.class, () -> ZoneDelta.apply(v7, 7, List.of(
                new ZoneDelta(7, 8, List.of(soa(7)), List.of(soa(8))), new ZoneDelta(9, 10, List.of(soa(9)), List.of(soa(10))))));
        assertTrue(gap.getMessage().contains("kept copy is at 8"), gap.getMessage());
        assertEquals(4, v7.size(), "the kept copy itself is never changed");
    }
}
