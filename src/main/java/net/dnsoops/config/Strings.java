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
