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

    /**
     * BIND's statistics channel {@code /json/v1/zones}: the zones of every view, class IN, that
     * it serves as primary or secondary (not its built-in CHAOS zones, not forward, stub or hint zones).
     */
    static Set<Name> bind(String json) throws IOException {
        com.fasterxml.jackson.databind.JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException("statistics channel zone list is not JSON: " + e.getOriginalMessage(), e);
        }
        com.fasterxml.jackson.databind.JsonNode views = root == null ? null : root.get("views");
        if (views == null || !views.isObject()) throw new IOException("statistics channel answer has no \"views\" (is it /json/v1/zones?)");
        Set<Name> out = new LinkedHashSet<>();
        for (com.fasterxml.jackson.databind.JsonNode view : (Iterable<com.fasterxml.jackson.databind.JsonNode>) views::elements) {
            com.fasterxml.jackson.databind.JsonNode zones = view.get("zones");
            if (zones == null) continue;
            for (com.fasterxml.jackson.databind.JsonNode z : zones) {
                String type = z.path("type").asText();
                if (!z.path("class").asText("IN").equals("IN") || !SERVED_TYPES.contains(type)) continue;
                String name = z.path("name").asText();
                out.add(name(name, z.toString()));
            }
        }
        return out;
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    /** BIND's zone types that answer authoritatively (old and new names). */
    private static final Set<String> SERVED_TYPES = Set.of("primary", "master", "secondary", "slave");

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
