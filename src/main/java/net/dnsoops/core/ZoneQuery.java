package net.dnsoops.core;

import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Pattern;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * Which zones a status reader wants and how many: a filter (states, service, name prefix or
 * glob), an order and one page of it. Pages follow each other by a cursor (the last zone's sort
 * key), so a page never repeats or skips a zone that stays put while zones around it change.
 *
 * @param states  the states wanted; empty: every state
 * @param service the zone group wanted, null: every group
 * @param prefix  the zone name must start with this (case-insensitive), null: any
 * @param match   a glob the whole zone name must match ({@code *} any run, {@code ?} one character), null: any
 * @param limit   the most zones on the page; 0: counts only
 * @param after   the page starts after this key (a previous page's {@link ZonePage#next()}), null: from the start
 */
public record ZoneQuery(Set<ZoneState> states, String service, String prefix, Pattern match, Order order, int limit,
                        Cursor after) {
    /** The order of zones: not-ready first by how bad (then name), or by name only (DNS canonical order). */
    public enum Order { STATE, NAME }

    /** Where a page ends: the last zone's rank in the order and its name. */
    public record Cursor(int rank, Name name) {
        /** "rank:name", the form {@link #parse} reads. */
        @Override
        public String toString() {
            return rank + ":" + name;
        }

        /** Reads {@link #toString}'s form; IllegalArgumentException with the reason otherwise. */
        public static Cursor parse(String s) {
            int colon = s.indexOf(':');
            try {
                if (colon < 1) throw new IllegalArgumentException();
                return new Cursor(Integer.parseInt(s.substring(0, colon)), Name.fromString(s.substring(colon + 1), Name.root));
            } catch (IllegalArgumentException | TextParseException e) {
                throw new IllegalArgumentException("not a cursor from a previous page's \"next\": " + s);
            }
        }
    }

    public ZoneQuery {
        states = states.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(states));
        if (limit < 0) throw new IllegalArgumentException("limit must not be negative");
    }

    /** Every zone, not-ready ones first, at most {@code limit}. */
    public static ZoneQuery first(int limit) {
        return new ZoneQuery(Set.of(), null, null, null, Order.STATE, limit, null);
    }

    /**
     * A glob over zone names as a case-insensitive pattern for {@link java.util.regex.Matcher#find}:
     * {@code *} any run of characters, {@code ?} one, everything else literal. A glob without a
     * trailing dot also matches the name with it, so {@code *.example.com} finds
     * {@code www.example.com.}. Leading and trailing {@code *} become an unanchored search, so the
     * status page's "name contains" search ({@code *text*}) is a plain substring search.
     */
    public static Pattern glob(String glob) {
        int from = 0;
        int to = glob.length();
        while (from < to && glob.charAt(from) == '*') from++;
        while (to > from && glob.charAt(to - 1) == '*') to--;
        StringBuilder re = new StringBuilder(from == 0 ? "^" : "");
        StringBuilder literal = new StringBuilder();
        for (int i = from; i < to; i++) {
            char c = glob.charAt(i);
            if (c == '*' || c == '?') {
                if (literal.length() > 0) re.append(Pattern.quote(literal.toString()));
                literal.setLength(0);
                re.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (literal.length() > 0) re.append(Pattern.quote(literal.toString()));
        if (to == glob.length()) re.append(glob.endsWith(".") ? "$" : "\\.?$");
        return Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    }

    /**
     * A zone's place in the order: with {@link Order#STATE} the worst states first (expired,
     * expiring, failing, refresh-failing, pending, then ready); with {@link Order#NAME} 0.
     */
    public int rank(ZoneState s) {
        if (order == Order.NAME) return 0;
        return switch (s) {
            case EXPIRED -> 0;
            case EXPIRING -> 1;
            case FAILING -> 2;
            case REFRESH_FAILING -> 3;
            case PENDING -> 4;
            case READY -> 5;
        };
    }

    /** True if the zone passes the filter (not the cursor); {@code text}, the name as text, is needed only with a prefix or glob. */
    boolean matches(ZoneState state, String zoneService, String text) {
        if (!states.isEmpty() && !states.contains(state)) return false;
        if (service != null && !service.equals(zoneService)) return false;
        if (prefix != null && !text.regionMatches(true, 0, prefix, 0, prefix.length())) return false;
        return match == null || match.matcher(text).find();
    }
}
