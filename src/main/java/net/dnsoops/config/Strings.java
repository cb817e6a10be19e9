package net.dnsoops.config;

/** Small text helpers for error messages. */
final class Strings {
    private Strings() {
    }

    /** True if {@code typed} looks like a misspelling of {@code known} rather than a new name. */
    static boolean nearMiss(String known, String typed) {
        String k = known.replace("-", "").replace("_", "").toLowerCase(java.util.Locale.ROOT);
        String t = typed.replace("-", "").replace("_", "").toLowerCase(java.util.Locale.ROOT);
        return k.equals(t) || distance(k, t) <= Math.max(1, k.length() / 4);
    }

    /** The known name {@code typed} most likely misspells, or null if it is no near miss of any. */
    static String closest(java.util.Collection<String> known, String typed) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known.stream().sorted().toList()) {
            if (!nearMiss(k, typed)) continue;
            int d = distance(k, typed);
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return best;
    }

    /** Levenshtein distance, to suggest "primaries" for "primarys". */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
