package net.dnsoops.input.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.NSEC3PARAMRecord;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;
import org.xbill.DNS.utils.base32;

/**
 * NSEC and NSEC3 chains of zones built in memory (the chains dnssec-signzone makes are checked
 * against real servers in VerifyDenialIT). The zone has a secure and an insecure delegation with
 * glue, and an empty non-terminal (b.c.example. exists, c.example. does not).
 */
class DenialChainTest {
    static final Name Z = VerifyTest.Z;
    static final byte[] SALT = {(byte) 0xab, (byte) 0xcd};

    static Name n(String s) {
        return Name.fromConstantString(s);
    }

    static List<Record> zone() throws Exception {
        List<Record> rs = new ArrayList<>(VerifyTest.zone(7));
        rs.add(new DNSKEYRecord(Z, DClass.IN, 3600, 257, 3, 13, new byte[64]));
        rs.add(new ARecord(n("b.c.example."), DClass.IN, 60, InetAddress.getByName("192.0.2.1")));
        rs.add(new NSRecord(n("sub.example."), DClass.IN, 60, n("ns.sub.example.")));
        rs.add(new ARecord(n("ns.sub.example."), DClass.IN, 60, InetAddress.getByName("192.0.2.2"))); // glue
        rs.add(new DSRecord(n("sub.example."), DClass.IN, 60, 12345, 13, 2, new byte[32]));
        rs.add(new NSRecord(n("insecure.example."), DClass.IN, 60, n("ns.sub.example.")));
        return rs;
    }

    /** The zone's owner names (without glue) with their types, as a signer sees them. */
    static Map<Name, TreeSet<Integer>> owners(List<Record> rs) {
        Map<Name, TreeSet<Integer>> m = new TreeMap<>();
        for (Record r : rs) {
            if (r.getName().subdomain(Name.fromConstantString("sub.example.")) && r.getType() == Type.A) continue;
            m.computeIfAbsent(r.getName(), k -> new TreeSet<>()).add(r.getType());
        }
        return m;
    }

    static List<Record> withNsec(List<Record> rs) {
        List<Record> out = new ArrayList<>(rs);
        Map<Name, TreeSet<Integer>> m = owners(rs);
        List<Name> names = new ArrayList<>(m.keySet());
        for (int i = 0; i < names.size(); i++) {
            TreeSet<Integer> t = m.get(names.get(i));
            t.add(Type.NSEC);
            out.add(new NSECRecord(names.get(i), DClass.IN, 60, i + 1 < names.size() ? names.get(i + 1) : Z,
                    t.stream().mapToInt(Integer::intValue).toArray()));
        }
        return out;
    }

    static List<Record> withNsec3(List<Record> rs, boolean optOut) throws Exception {
        NSEC3PARAMRecord p = new NSEC3PARAMRecord(Z, DClass.IN, 0, 1, 0, 0, SALT);
        List<Record> out = new ArrayList<>(rs);
        out.add(p);
        Map<Name, TreeSet<Integer>> m = owners(out);
        m.put(n("c.example."), new TreeSet<>()); // the empty non-terminal
        if (optOut) m.remove(n("insecure.example."));
        base32 b = new base32(base32.Alphabet.BASE32HEX, false, true);
        TreeMap<String, TreeSet<Integer>> byHash = new TreeMap<>();
        for (Map.Entry<Name, TreeSet<Integer>> e : m.entrySet()) byHash.put(b.toString(p.hashName(e.getKey())), e.getValue());
        List<String> hs = new ArrayList<>(byHash.keySet());
        for (int i = 0; i < hs.size(); i++) {
            out.add(new NSEC3Record(new Name(hs.get(i), Z), DClass.IN, 60, 1, optOut ? 1 : 0, 0, SALT,
                    b.fromString(hs.get((i + 1) % hs.size())), byHash.get(hs.get(i)).stream().mapToInt(Integer::intValue).toArray()));
        }
        return out;
    }

    @Test
    void aCompleteNsecChainPassesAndAMissingOrWrongLinkIsNamed() throws Exception {
        List<Record> good = withNsec(zone());
        assertNull(DenialChain.check(Z, good));
        assertNull(DenialChain.check(Z, VerifyTest.zone(7)), "an unsigned zone is not checked");

        List<Record> gap = new ArrayList<>(good);
        gap.removeIf(r -> r instanceof NSECRecord && r.getName().equals(Name.fromConstantString("insecure.example.")));
        assertEquals("NSEC chain gap: insecure.example. has no NSEC (b.c.example. points to it)", DenialChain.check(Z, gap));

        List<Record> open = new ArrayList<>(good);
        open.replaceAll(r -> r instanceof NSECRecord s && s.getName().equals(n("sub.example."))
                ? new NSECRecord(s.getName(), DClass.IN, 60, n("zzz.example."), s.getTypes()) : r);
        assertEquals("NSEC chain gap: the NSEC of sub.example. points to zzz.example., but the next name is example.",
                DenialChain.check(Z, open), "the last NSEC must close the chain at the apex");

        List<Record> types = new ArrayList<>(good);
        types.replaceAll(r -> r instanceof NSECRecord s && s.getName().equals(n("sub.example."))
                ? new NSECRecord(s.getName(), DClass.IN, 60, s.getNext(), new int[] {Type.NS, Type.NSEC}) : r);
        assertEquals("the NSEC of sub.example. lists types [NS, NSEC], but the name has [NS, DS, NSEC]", DenialChain.check(Z, types));
    }

    @Test
    void aCompleteNsec3ChainPassesWithOptOutAndAGapOrOtherParametersAreNamed() throws Exception {
        assertNull(DenialChain.check(Z, withNsec3(zone(), false)));
        assertNull(DenialChain.check(Z, withNsec3(zone(), true)), "opt-out: the insecure delegation has no NSEC3");

        List<Record> gap = withNsec3(zone(), false);
        String ent = new base32(base32.Alphabet.BASE32HEX, false, true)
                .toString(new NSEC3PARAMRecord(Z, DClass.IN, 0, 1, 0, 0, SALT).hashName(n("c.example.")));
        gap.removeIf(r -> r instanceof NSEC3Record && r.getName().getLabelString(0).equals(ent));
        assertEquals("NSEC3 chain gap: c.example. (hash " + ent + ") has no NSEC3", DenialChain.check(Z, gap),
                "the empty non-terminal needs an NSEC3 too");

        List<Record> otherSalt = withNsec3(zone(), false);
        otherSalt.replaceAll(r -> r instanceof NSEC3PARAMRecord ? new NSEC3PARAMRecord(Z, DClass.IN, 0, 1, 0, 0, new byte[] {1}) : r);
        assertEquals("no NSEC3 record has the parameters of the NSEC3PARAM 1 0 0 01", DenialChain.check(Z, otherSalt));

        List<Record> noParam = withNsec3(zone(), false);
        noParam.removeIf(r -> r instanceof NSEC3PARAMRecord);
        assertEquals("the zone has NSEC3 records but no NSEC3PARAM at the apex", DenialChain.check(Z, noParam));
    }
}
