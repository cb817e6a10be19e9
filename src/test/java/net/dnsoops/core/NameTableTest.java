package net.dnsoops.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

class NameTableTest {
    private static Name name(String s) {
        return Name.fromConstantString(s);
    }

    @Test
    void findsANameWhateverItsCaseAndKeepsTheFirstSpelling() {
        NameTable<String> t = new NameTable<>();
        assertNull(t.put(name("Example.COM."), "first"));
        assertEquals("first", t.get(name("example.com.")));
        assertTrue(t.containsKey(name("EXAMPLE.com.")));
        assertEquals("first", t.put(name("example.com."), "second"));
        assertEquals(1, t.size());
        assertEquals("second", t.get(name("Example.Com.")));
        assertNull(t.get(name("example.net.")));
        assertFalse(t.containsKey(name("com.")));
    }

    @Test
    void behavesLikeAHashMapThroughRandomPutsAndRemovesAcrossGrowth() {
        // Removal shifts later entries of a probe run back into the gap; a mistake there loses
        // entries that are still in the table. Check every name after every step against a HashMap.
        Random r = new Random(42);
        NameTable<Integer> t = new NameTable<>(4);
        Map<Name, Integer> expected = new HashMap<>();
        Name[] names = new Name[3000];
        for (int i = 0; i < names.length; i++) names[i] = name("z" + i + ".bench.");
        for (int step = 0; step < 60_000; step++) {
            Name n = names[r.nextInt(names.length)];
            if (r.nextInt(3) == 0) {
                assertEquals(expected.remove(n), t.remove(n), "remove " + n);
            } else {
                assertEquals(expected.put(n, step), t.put(n, step), "put " + n);
            }
            if (step % 5000 == 0) {
                for (Name each : names) assertEquals(expected.get(each), t.get(each), "get " + each + " at step " + step);
            }
        }
        assertEquals(expected.size(), t.size());
        for (Name each : names) assertEquals(expected.get(each), t.get(each));
        assertEquals(new HashSet<>(expected.values()), new HashSet<>(t.values()));
        assertEquals(expected.size(), t.values().size());
    }

    @Test
    void valuesAreEveryEntryOnce() {
        NameTable<Name> t = new NameTable<>();
        Set<Name> put = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            Name n = name("zone" + i + ".example.");
            t.put(n, n);
            put.add(n);
        }
        Set<Name> seen = new HashSet<>();
        for (Name n : t.values()) assertTrue(seen.add(n), "twice: " + n);
        assertEquals(put, seen);
        t.values().forEach(n -> assertSame(n, t.get(n)));
    }

    @Test
    void generatedNamesGetDistinctHashes() {
        // what the table is for: dnsjava's Name.hashCode gives these 100,000 names 67,352 values
        Set<Integer> hashes = new HashSet<>();
        for (int i = 0; i < 100_000; i++) hashes.add(NameTable.hash(name("z" + i + ".bench.")));
        assertTrue(hashes.size() > 99_990, hashes.size() + " distinct hashes");
    }
}
