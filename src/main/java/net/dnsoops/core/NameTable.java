package net.dnsoops.core;

import java.util.AbstractCollection;
import java.util.Collection;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.xbill.DNS.Name;

/**
 * A map from domain names to values for the core's per-zone tables: open addressing with linear
 * probing, keyed by a hash of the name's lower-cased wire form ({@link #hash}).
 *
 * <p>Why not a HashMap: dnsjava's {@code Name.hashCode} ({@code h = 9h + byte}) gives names that
 * differ in a few characters few distinct values (67,352 for the 100,000 names
 * {@code z0.bench.} … {@code z99999.bench.}, 606,174 for a million), so a HashMap chains and then
 * treeifies its bins, and its lookups took 14 % of the core thread in the benchmark's verified
 * updates. This table also keeps no node object per entry (a HashMap.Node is 32 bytes, a
 * TreeNode 56): a slot is a key and a value side by side in one array (so a probe touches one
 * cache line for both; three separate arrays made an insert twice as slow) plus an int hash, at a
 * load of at most one half: 25 MB for a million zones against about 40 MB for a HashMap.
 *
 * <p>Not thread-safe, like the HashMap it replaces: the core's tables live on the core thread.
 * Iteration sees the entries in table order; the table must not change while it is iterated.
 */
public final class NameTable<V> {
    /** Key of slot i at 2i, its value at 2i + 1: one cache line for both. */
    private Object[] table;
    private int[] hashes;
    private int mask;
    private int size;

    public NameTable() {
        this(16);
    }

    /** Sized for {@code expected} entries without growing. */
    public NameTable(int expected) {
        int capacity = Integer.highestOneBit(Math.max(4, expected * 2 - 1)) << 1;
        allocate(capacity);
    }

    private void allocate(int capacity) {
        table = new Object[capacity * 2];
        hashes = new int[capacity];
        mask = capacity - 1;
    }

    /**
     * A case-insensitive hash of the name (as {@link Name#equals} compares): FNV-1a over the
     * canonical (lower-cased) wire form, then a finalizer that spreads every input bit, since the
     * table takes the low bits as the slot.
     */
    static int hash(Name name) {
        byte[] wire = name.toWireCanonical();
        int h = 0x811c9dc5;
        for (byte b : wire) h = (h ^ (b & 0xff)) * 0x01000193;
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        return h ^ (h >>> 16);
    }

    private int slotOf(Name name, int h) {
        for (int i = h & mask; ; i = (i + 1) & mask) {
            Object k = table[2 * i];
            if (k == null || (hashes[i] == h && k.equals(name))) return i;
        }
    }

    /** The value for {@code name}, or null. */
    @SuppressWarnings("unchecked")
    public V get(Name name) {
        return (V) table[2 * slotOf(name, hash(name)) + 1];
    }

    public boolean containsKey(Name name) {
        return table[2 * slotOf(name, hash(name))] != null;
    }

    /** Sets the value of {@code name}; returns the one it replaces, or null. The first spelling of a name is kept. */
    @SuppressWarnings("unchecked")
    public V put(Name name, V value) {
        if (value == null) throw new NullPointerException("value");
        int h = hash(name);
        int i = slotOf(name, h);
        if (table[2 * i] != null) {
            V old = (V) table[2 * i + 1];
            table[2 * i + 1] = value;
            return old;
        }
        if ((size + 1) * 2 > hashes.length) {
            grow();
            i = slotOf(name, h);
        }
        table[2 * i] = name;
        table[2 * i + 1] = value;
        hashes[i] = h;
        size++;
        return null;
    }

    /** Removes {@code name}; returns its value, or null if it was not there. */
    @SuppressWarnings("unchecked")
    public V remove(Name name) {
        int i = slotOf(name, hash(name));
        if (table[2 * i] == null) return null;
        V old = (V) table[2 * i + 1];
        // Backward-shift deletion: move later entries of the probe run into the gap, so that
        // lookups never need tombstones.
        int gap = i;
        for (int j = (i + 1) & mask; table[2 * j] != null; j = (j + 1) & mask) {
            int home = hashes[j] & mask;
            // the entry at j may fill the gap if its home slot is not in (gap, j], cyclically
            boolean homeAfterGap = gap <= j ? gap < home && home <= j : gap < home || home <= j;
            if (!homeAfterGap) {
                table[2 * gap] = table[2 * j];
                table[2 * gap + 1] = table[2 * j + 1];
                hashes[gap] = hashes[j];
                gap = j;
            }
        }
        table[2 * gap] = null;
        table[2 * gap + 1] = null;
        hashes[gap] = 0;
        size--;
        return old;
    }

    public int size() {
        return size;
    }

    private void grow() {
        Object[] old = table;
        int[] oldHashes = hashes;
        allocate(oldHashes.length * 2);
        for (int j = 0; j < oldHashes.length; j++) {
            if (old[2 * j] == null) continue;
            int i = oldHashes[j] & mask;
            while (table[2 * i] != null) i = (i + 1) & mask;
            table[2 * i] = old[2 * j];
            table[2 * i + 1] = old[2 * j + 1];
            hashes[i] = oldHashes[j];
        }
    }

    /** The values, as a view (table order). */
    public Collection<V> values() {
        return new AbstractCollection<>() {
            @Override
            public Iterator<V> iterator() {
                return new Iterator<>() {
                    private int next = advance(0);

                    private int advance(int from) {
                        int i = from;
                        while (i < hashes.length && table[2 * i] == null) i++;
                        return i;
                    }

                    @Override
                    public boolean hasNext() {
                        return next < hashes.length;
                    }

                    @Override
                    @SuppressWarnings("unchecked")
                    public V next() {
                        if (next >= hashes.length) throw new NoSuchElementException();
                        V v = (V) table[2 * next + 1];
                        next = advance(next + 1);
                        return v;
                    }
                };
            }

            @Override
            public int size() {
                return size;
            }
        };
    }
}
