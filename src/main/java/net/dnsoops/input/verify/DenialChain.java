package net.dnsoops.input.verify;

import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.NSEC3PARAMRecord;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;
import org.xbill.DNS.utils.base32;

/**
 * The authenticated denial of existence of a whole signed zone (RFC 4034 section 4, RFC 5155):
 * with NSEC, every authoritative owner name has one NSEC, each points to the next name in
 * canonical order, the last back to the apex, and each lists the types at its name; with NSEC3,
 * the chain whose parameters the apex NSEC3PARAM names hashes every authoritative name and empty
 * non-terminal (opt-out may skip insecure delegations), its hashed owners chain in order and
 * close, and each lists the types at its name. Names below a zone cut (glue) are not
 * authoritative and have no NSEC/NSEC3. The first problem in canonical (hash) order is reported,
 * so a broken chain names its first gap.
 */
public final class DenialChain {
    private static final base32 B32HEX = new base32(base32.Alphabet.BASE32HEX, false, true);
    /** The types an NSEC/NSEC3 of a delegation point may list: the rest at that name is glue. */
    private static final Set<Integer> AT_CUT = Set.of(Type.NS, Type.DS, Type.NSEC, Type.RRSIG);

    private DenialChain() {
    }

    /** null when the zone is unsigned or its NSEC/NSEC3 chain is complete; else the first problem. */
    public static String check(Name apex, List<Record> records) {
        Map<Name, Set<Integer>> types = new TreeMap<>(); // canonical order: a cut's subtree follows it
        Map<Name, NSECRecord> nsecs = new HashMap<>();
        List<NSEC3Record> nsec3s = new ArrayList<>();
        List<NSEC3PARAMRecord> params = new ArrayList<>();
        boolean keys = false;
        for (Record r : records) {
            if (r instanceof NSEC3Record n) {
                nsec3s.add(n);
                continue;
            }
            if (r instanceof RRSIGRecord s && s.getTypeCovered() == Type.NSEC3) continue;
            if (r instanceof DNSKEYRecord && r.getName().equals(apex)) keys = true;
            if (r instanceof NSECRecord n) nsecs.put(n.getName(), n);
            if (r instanceof NSEC3PARAMRecord p && r.getName().equals(apex)) params.add(p);
            types.computeIfAbsent(r.getName(), n -> new TreeSet<>()).add(r.getType());
        }
        if (!keys) return null; // unsigned zone: nothing to check
        Map<Name, Set<Integer>> owners = authoritative(apex, types);
        if (!nsec3s.isEmpty()) return nsec3(apex, owners, nsec3s, params);
        if (nsecs.isEmpty()) return "the zone is signed but has neither NSEC nor NSEC3 records";
        return nsec(apex, owners, nsecs);
    }

    /** Owner names at or above every zone cut, each with the types an NSEC/NSEC3 there must list. */
    private static Map<Name, Set<Integer>> authoritative(Name apex, Map<Name, Set<Integer>> types) {
        Map<Name, Set<Integer>> out = new TreeMap<>();
        Name cut = null;
        for (Map.Entry<Name, Set<Integer>> e : types.entrySet()) {
            Name n = e.getKey();
            if (!n.subdomain(apex)) continue;
            if (cut != null && n.subdomain(cut) && !n.equals(cut)) continue; // glue below a delegation
            Set<Integer> t = new TreeSet<>(e.getValue());
            if (!n.equals(apex) && t.contains(Type.NS)) {
                cut = n;
                t.retainAll(AT_CUT);
            }
            out.put(n, t);
        }
        return out;
    }

    private static String nsec(Name apex, Map<Name, Set<Integer>> owners, Map<Name, NSECRecord> nsecs) {
        List<Name> names = new ArrayList<>(owners.keySet());
        for (int i = 0; i < names.size(); i++) {
            Name n = names.get(i);
            Name expected = i + 1 < names.size() ? names.get(i + 1) : apex;
            NSECRecord r = nsecs.get(n);
            Name before = i > 0 ? names.get(i - 1) : null;
            if (r == null) {
                return "NSEC chain gap: " + n + " has no NSEC" + (before == null ? "" : " (" + before + " points to it)");
            }
            if (!r.getNext().equals(expected)) {
                return "NSEC chain gap: the NSEC of " + n + " points to " + r.getNext() + ", but the next name is " + expected;
            }
            String bitmap = bitmap(owners.get(n), r.getTypes());
            if (bitmap != null) return "the NSEC of " + n + " " + bitmap;
        }
        for (Name n : nsecs.keySet()) {
            if (!owners.containsKey(n)) return "NSEC at " + n + ", which is not an authoritative name of the zone";
        }
        return null;
    }

    private static String nsec3(Name apex, Map<Name, Set<Integer>> owners, List<NSEC3Record> all, List<NSEC3PARAMRecord> params) {
        if (params.isEmpty()) return "the zone has NSEC3 records but no NSEC3PARAM at the apex";
        NSEC3PARAMRecord p = params.stream().filter(x -> x.getFlags() == 0).findFirst().orElse(params.get(0));
        String pDesc = "NSEC3PARAM " + p.rdataToString();
        // The chain is the NSEC3 records with the NSEC3PARAM's parameters; another chain (a
        // parameter roll in progress) is not the one resolvers are pointed to.
        TreeMap<String, NSEC3Record> chain = new TreeMap<>();
        boolean optOut = false;
        for (NSEC3Record r : all) {
            if (r.getHashAlgorithm() != p.getHashAlgorithm() || r.getIterations() != p.getIterations()
                    || !Arrays.equals(r.getSalt(), p.getSalt())) {
                continue;
            }
            chain.put(r.getName().getLabelString(0).toLowerCase(java.util.Locale.ROOT), r);
            optOut |= (r.getFlags() & NSEC3Record.Flags.OPT_OUT) != 0;
        }
        if (chain.isEmpty()) return "no NSEC3 record has the parameters of the " + pDesc;
        // Names that need an NSEC3: every authoritative name and empty non-terminal; with
        // opt-out, an insecure delegation (NS without DS) may go without.
        Map<String, Name> allowed = new TreeMap<>();
        Map<String, Set<Integer>> typesOf = new HashMap<>();
        Set<String> required = new TreeSet<>();
        try {
            for (Map.Entry<Name, Set<Integer>> e : owners.entrySet()) {
                Name n = e.getKey();
                boolean insecureCut = !n.equals(apex) && e.getValue().contains(Type.NS) && !e.getValue().contains(Type.DS);
                for (Name a = n; a.subdomain(apex); a = parent(a)) {
                    String h = B32HEX.toString(p.hashName(a));
                    allowed.putIfAbsent(h, a);
                    typesOf.putIfAbsent(h, Set.of()); // an empty non-terminal lists no types
                    if (a.equals(n)) typesOf.put(h, without(e.getValue(), Type.NSEC));
                    if (!(optOut && insecureCut && a.equals(n))) required.add(h);
                    if (a.equals(apex)) break;
                }
            }
        } catch (NoSuchAlgorithmException e) {
            return pDesc + ": unsupported hash algorithm " + p.getHashAlgorithm();
        }
        for (String h : required) {
            if (!chain.containsKey(h)) return "NSEC3 chain gap: " + allowed.get(h) + " (hash " + h + ") has no NSEC3";
        }
        List<String> hashes = new ArrayList<>(chain.keySet());
        for (int i = 0; i < hashes.size(); i++) {
            String h = hashes.get(i);
            NSEC3Record r = chain.get(h);
            if (!allowed.containsKey(h)) return "NSEC3 " + r.getName() + " is the hash of no name in the zone";
            String next = B32HEX.toString(r.getNext());
            String expected = hashes.get((i + 1) % hashes.size());
            if (!next.equals(expected)) {
                return "NSEC3 chain gap: the NSEC3 of " + allowed.get(h) + " (" + h + ") points to " + next
                        + ", but the next hash in the zone is " + expected + " (" + allowed.get(expected) + ")";
            }
            String bitmap = bitmap(typesOf.get(h), r.getTypes());
            if (bitmap != null) return "the NSEC3 of " + allowed.get(h) + " " + bitmap;
        }
        return null;
    }

    /** Why the type bitmap {@code listed} is not {@code present}, or null. */
    private static String bitmap(Set<Integer> present, int[] listed) {
        Set<Integer> l = new TreeSet<>();
        for (int t : listed) l.add(t);
        if (l.equals(present)) return null;
        return "lists types " + names(l) + ", but the name has " + names(present);
    }

    private static String names(Set<Integer> ts) {
        List<String> out = new ArrayList<>();
        for (int t : ts) out.add(Type.string(t));
        return out.toString();
    }

    private static Set<Integer> without(Set<Integer> s, int type) {
        Set<Integer> out = new TreeSet<>(s);
        out.remove(type);
        return out;
    }

    private static Name parent(Name n) {
        return new Name(n, 1);
    }
}
