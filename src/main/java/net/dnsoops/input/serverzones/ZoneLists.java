package net.dnsoops.input.serverzones;

import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Set;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * The zone names in a name server's own zone list, as its control command prints it. Every
 * zone the server is configured with counts, loaded or not: a zone that failed to load is still
 * one the operator meant to serve. Output that has text but no zone line is an error, never
 * "no zones": a changed output format must not look like every zone gone.
 */
final class ZoneLists {
    private ZoneLists() {
    }

    /** {@code nsd-control zonestatus}: a "zone:" line with the name, then indented state lines. */
    static Set<Name> nsd(String text) throws IOException {
        Set<Name> out = new LinkedHashSet<>();
        for (String line : text.split("\n")) {
            if (!line.startsWith("zone:")) continue;
            out.add(name(line.substring("zone:".length()).strip(), line));
        }
        return check(out, text, "nsd-control zonestatus");
    }

    /** {@code knotc zone-status}: one line per zone, "[name.] role: ... | serial: ...". */
    static Set<Name> knot(String text) throws IOException {
        Set<Name> out = new LinkedHashSet<>();
        for (String line : text.split("\n")) {
            if (!line.startsWith("[")) continue;
            int end = line.indexOf("] ");
            if (end < 0 && line.endsWith("]")) end = line.length() - 1;
            if (end < 0) throw new IOException("knotc zone-status: unexpected line \"" + line + "\"");
            out.add(name(line.substring(1, end), line));
        }
        return check(out, text, "knotc zone-status");
    }

    private static Set<Name> check(Set<Name> out, String text, String what) throws IOException {
        if (out.isEmpty() && !text.isBlank()) {
            String first = text.strip().lines().findFirst().orElse("");
            throw new IOException(what + " printed no zone list: \"" + first + "\"");
        }
        return out;
    }

    private static Name name(String s, String line) throws IOException {
        if (s.isEmpty()) throw new IOException("no zone name in \"" + line + "\"");
        try {
            return Name.fromString(s.endsWith(".") ? s : s + ".", Name.root);
        } catch (TextParseException e) {
            throw new IOException("bad zone name in \"" + line + "\": " + e.getMessage(), e);
        }
    }
}
