package net.dnsoops.input.stats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/** Total queries received, parsed from each server's own statistics output. Pure functions, unit-tested. */
final class QueryCounters {
    private static final ObjectMapper JSON = new ObjectMapper();

    private QueryCounters() {
    }

    /** NSD {@code nsd-control stats_noreset}: the line "num.queries=N". */
    static long nsd(String text) throws IOException {
        for (String line : text.split("\n")) {
            String l = line.trim();
            if (l.startsWith("num.queries=")) return Long.parseLong(l.substring("num.queries=".length()).trim());
        }
        throw new IOException("no num.queries in nsd-control output");
    }

    /**
     * Knot {@code knotc stats}: needs mod-stats. Sums "mod-stats.server-operation[query] = N"
     * (one line, or one per zone/worker); falls back to the request-protocol counters.
     */
    static long knot(String text) throws IOException {
        long op = -1;
        long proto = -1;
        for (String line : text.split("\n")) {
            String l = line.trim();
            int eq = l.lastIndexOf('=');
            if (eq < 0) continue;
            String key = l.substring(0, eq).trim();
            long v;
            try {
                v = Long.parseLong(l.substring(eq + 1).trim());
            } catch (NumberFormatException e) {
                continue;
            }
            if (key.endsWith("mod-stats.server-operation[query]")) op = (op < 0 ? 0 : op) + v;
            else if (key.contains("mod-stats.request-protocol[")) proto = (proto < 0 ? 0 : proto) + v;
        }
        if (op >= 0) return op;
        if (proto >= 0) return proto;
        throw new IOException("no mod-stats query counters in knotc stats output (load mod-stats)");
    }

    /** BIND statistics channel {@code /json/v1/server}: opcodes.QUERY. */
    static long bind(String json) throws IOException {
        JsonNode n = JSON.readTree(json).path("opcodes").path("QUERY");
        if (!n.canConvertToLong()) throw new IOException("no opcodes.QUERY in BIND statistics JSON");
        return n.asLong();
    }
}
