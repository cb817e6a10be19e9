package net.dnsoops.config;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Function;

/**
 * How a reloaded list of config entries differs from the running one. Entries are matched by a
 * key (the name their conditions carry, e.g. a probe's server name), so an input can keep the
 * state of an entry that stays and clear what a removed one held. Pure; unit-tested.
 *
 * @param added     entries whose key is new
 * @param removed   running entries whose key is gone
 * @param changed   entries whose key stays but some setting differs
 * @param unchanged new entries equal in every setting to the running one (the running one is kept)
 */
public record ConfigDiff<C>(List<C> added, List<C> removed, List<Changed<C>> changed, List<C> unchanged) {
    public record Changed<C>(C before, C after) {
    }

    /**
     * Compares {@code before} with {@code after} by {@code key}; settings are every public field
     * of the config class except {@code ignored} (so a field added to a config class later is
     * compared without anyone remembering to). A key that occurs twice in one list: the last wins.
     */
    public static <C> ConfigDiff<C> of(List<C> before, List<C> after, Function<C, String> key, String... ignored) {
        return of(before, after, key, (a, b) -> sameSettings(a, b, ignored));
    }

    /** Compares {@code before} with {@code after} by {@code key}; {@code same} says whether an entry that stays changed. */
    public static <C> ConfigDiff<C> of(List<C> before, List<C> after, Function<C, String> key, BiPredicate<C, C> same) {
        Map<String, C> old = byKey(before, key);
        Map<String, C> next = byKey(after, key);
        List<C> added = new ArrayList<>();
        List<C> removed = new ArrayList<>();
        List<Changed<C>> changed = new ArrayList<>();
        List<C> unchanged = new ArrayList<>();
        for (Map.Entry<String, C> e : next.entrySet()) {
            C was = old.get(e.getKey());
            if (was == null) added.add(e.getValue());
            else if (same.test(was, e.getValue())) unchanged.add(was);
            else changed.add(new Changed<>(was, e.getValue()));
        }
        for (Map.Entry<String, C> e : old.entrySet()) {
            if (!next.containsKey(e.getKey())) removed.add(e.getValue());
        }
        return new ConfigDiff<>(List.copyOf(added), List.copyOf(removed), List.copyOf(changed), List.copyOf(unchanged));
    }

    public boolean isEmpty() {
        return added.isEmpty() && removed.isEmpty() && changed.isEmpty();
    }

    /**
     * Whether two config objects of one class have equal public fields, {@code ignored} aside. A
     * field that is itself a config section (a {@link Validated} class, e.g. verify's
     * "trust-anchor") is compared the same way, field by field.
     */
    public static boolean sameSettings(Object a, Object b, String... ignored) {
        if (a == b) return true;
        if (a == null || b == null || a.getClass() != b.getClass()) return false;
        Set<String> skip = Set.of(ignored);
        for (Field f : a.getClass().getFields()) {
            if (Modifier.isStatic(f.getModifiers()) || skip.contains(f.getName())) continue;
            try {
                Object x = f.get(a);
                Object y = f.get(b);
                boolean same = x instanceof Validated ? sameSettings(x, y) : Objects.equals(x, y);
                if (!same) return false;
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("cannot compare " + f, e);
            }
        }
        return true;
    }

    private static <C> Map<String, C> byKey(List<C> entries, Function<C, String> key) {
        Map<String, C> out = new LinkedHashMap<>();
        for (C c : entries) out.put(key.apply(c), c);
        return out;
    }
}
