package net.dnsoops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import net.dnsoops.config.ConfigException;
import net.dnsoops.config.ConfigLoader;
import net.dnsoops.config.DnsOopsConfig;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dns-oops status}: the running daemon's zones, services and components as a table (or
 * JSON), from its HTTP API or, without an "http" section, from its control socket (the same
 * document). Exit codes as dns-oops(8) says: 0 every service ready (the readiness rule), 1 a
 * service not ready or the request refused (401/403), 2 the daemon not reached (or not running).
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show the running daemon's drain state, zones, services and components (from its HTTP API, or its "
                + "control socket without an \"http\" section). "
                + "Exit 0 when every service is ready (the rule of /health/services: first check round done, every "
                + "zone of every service served, no server of it down, every zone it gates on valid, not drained), "
                + "1 when not (or the token was refused), 2 when the daemon cannot be reached or is not running.")
public final class StatusCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    OpsClient client;

    @Option(names = "--json", description = "Print the status document (GET /status) as JSON; errors too are JSON then")
    boolean json;

    @Option(names = "--all", description = "List every zone by name (the daemon is asked page by page), "
            + "not only the first 1000, not-ready first; with --json the document holds every zone")
    boolean all;

    @Override
    public Integer call() {
        if (client.noHttp()) return viaControlSocket();
        OpsClient.Reply r;
        try {
            // --all: the first page in name order carries the summary too, no separate first call
            r = client.get(all ? ALL_PAGE : "/status");
        } catch (OpsClient.Failure e) {
            return fail(ControlClient.UNREACHABLE, e.getMessage(), JSON.createObjectNode());
        }
        if (r.status() == 401 || r.status() == 403) {
            return fail(ControlClient.REFUSED, "the daemon refused the request (HTTP " + r.status() + "): " + r.body().strip()
                    + " (give --token-file or the config's http token)", JSON.createObjectNode());
        }
        if (r.status() != 200) return fail(ControlClient.UNREACHABLE, "HTTP " + r.status() + ": " + r.body().strip(), JSON.createObjectNode());
        return report(r.body());
    }

    /** Without "http": the same document from the control socket, or why there is none. */
    private int viaControlSocket() {
        DnsOopsConfig c;
        try {
            c = ConfigLoader.load(client.config());
        } catch (ConfigException e) {
            return fail(ControlClient.UNREACHABLE, e.getMessage(), JSON.createObjectNode());
        }
        String reply;
        try {
            reply = ControlClient.ask(c, "status-json");
        } catch (IOException e) {
            String why = ControlClient.whyUnreachable(c, e);
            if (why != null) return fail(ControlClient.UNREACHABLE, why, JSON.createObjectNode());
            boolean drained = Files.exists(c.drainFile);
            return fail(ControlClient.UNREACHABLE, "dns-oops is not running; " + (drained ? "drained" : "not drained")
                    + " (" + c.drainFile + (drained ? " exists: it starts drained" : " absent") + ")",
                    JSON.createObjectNode().put("running", false).put("drained", drained));
        }
        if (reply == null || !reply.startsWith("{")) {
            return fail(ControlClient.REFUSED, "the daemon did not send its status: " + reply, JSON.createObjectNode());
        }
        return report(reply);
    }

    private int report(String body) {
        JsonNode s;
        try {
            s = JSON.readTree(body);
        } catch (IOException e) {
            return fail(ControlClient.UNREACHABLE, "the daemon's status is not JSON: " + e.getMessage(), JSON.createObjectNode());
        }
        if (all) {
            if (client.noHttp()) {
                return fail(ControlClient.UNREACHABLE, "--all reads the zones page by page over HTTP: configure \"http\"",
                        JSON.createObjectNode());
            }
            try {
                s = allZones(s);
            } catch (Exception e) {
                return fail(ControlClient.UNREACHABLE, e.getMessage(), JSON.createObjectNode());
            }
        }
        if (json) {
            System.out.println(all ? s.toString() : body.strip());
        } else {
            print(s, System.out, Instant.now());
        }
        return exitCode(s);
    }

    /** 0 when /status says the daemon is ready by the one rule (its "readiness"), else 1. */
    public static int exitCode(JsonNode status) {
        return status.path("readiness").path("ready").asBoolean(false) ? ControlClient.OK : ControlClient.REFUSED;
    }

    /** The first page of {@code --all}: every zone by name, as many as one /status lists. */
    static final String ALL_PAGE = "/status?order=name&limit=10000";

    /**
     * {@code first} (the first page of {@link #ALL_PAGE}, with the summary) with its zones
     * followed by those of every later page. Later pages carry no counts: the daemon reads them
     * straight from its name-sorted zones instead of a pass over every zone per page.
     */
    private JsonNode allZones(JsonNode first) throws Exception {
        com.fasterxml.jackson.databind.node.ArrayNode zones = JSON.createArrayNode();
        first.path("zones").forEach(zones::add);
        String after = first.path("next").asText("");
        while (!after.isEmpty()) {
            OpsClient.Reply r = client.get(ALL_PAGE + "&after="
                    + java.net.URLEncoder.encode(after, java.nio.charset.StandardCharsets.UTF_8));
            if (r.status() != 200) throw new OpsClient.Failure("HTTP " + r.status() + ": " + r.body());
            JsonNode page = JSON.readTree(r.body());
            page.path("zones").forEach(zones::add);
            after = page.path("next").asText("");
        }
        com.fasterxml.jackson.databind.node.ObjectNode copy = ((com.fasterxml.jackson.databind.node.ObjectNode) first).deepCopy();
        copy.set("zones", zones);
        copy.put("zones-matched", zones.size());
        copy.putNull("next");
        return copy;
    }

    /** Reports a failure on stderr and, with --json, as a JSON object on stdout; returns {@code code}. */
    private int fail(int code, String message, ObjectNode facts) {
        System.err.println("dns-oops: status: " + message);
        if (json) System.out.println(facts.put("error", message).toString());
        return code;
    }

    static void print(JsonNode s, PrintStream out, Instant now) {
        String drain = !s.has("drained") ? "" : s.path("drained").asBoolean()
                ? ", DRAINED: every route withdrawn until \"dns-oops undrain\"" : ", not drained";
        out.printf("dns-oops %s, up %s%s%n%n", s.path("version").asText(), ago(s.path("uptime-seconds").asLong()), drain);
        JsonNode sum = s.path("summary");
        if (sum.isObject()) {
            StringBuilder b = new StringBuilder(sum.path("zones").asInt() + (sum.path("zones").asInt() == 1 ? " zone" : " zones"));
            sum.path("states").fields().forEachRemaining(e -> {
                if (e.getValue().asInt() > 0) b.append(", ").append(e.getValue().asInt()).append(' ').append(e.getKey());
            });
            out.println(b);
            int listed = s.path("zones").size();
            if (listed < sum.path("zones").asInt()) {
                out.printf("showing %d zones, not-ready first (--all for every zone)%n", listed);
            }
            out.println();
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ZONE", "STATE", "SERIAL", "LAST CHECK", "NEXT CHECK", "EXPIRES", "NOTIFIER", "SERVICE"});
        for (JsonNode z : s.path("zones")) {
            rows.add(new String[] {z.path("zone").asText(), z.path("state").asText(),
                    z.path("serial").isNull() ? "-" : z.path("serial").asText(), rel(z.path("last-check"), now),
                    rel(z.path("next-check"), now), rel(z.path("expires"), now),
                    z.path("last-notifier").asText().isEmpty() ? "-" : z.path("last-notifier").asText(),
                    z.path("service").asText()});
        }
        table(rows, out);
        out.println();
        rows = new ArrayList<>();
        rows.add(new String[] {"SERVICE", "READY", "ZONES READY", "REASON"});
        for (JsonNode v : s.path("services")) {
            rows.add(new String[] {v.path("service").asText(), v.path("ready").asBoolean() ? "yes" : "no",
                    v.path("ready-zones").asInt() + "/" + v.path("zones").asInt(),
                    v.path("reason").asText().isEmpty() ? (v.path("degraded").asBoolean() ? "degraded: refreshes failing" : "-")
                            : v.path("reason").asText()});
        }
        table(rows, out);
        out.println();
        rows = new ArrayList<>();
        rows.add(new String[] {"COMPONENT", "KIND", "HEALTH", "DETAIL"});
        for (JsonNode c : s.path("components")) {
            rows.add(new String[] {c.path("name").asText(), c.path("kind").asText(), c.path("health").asText(),
                    c.path("detail").asText()});
        }
        table(rows, out);
        for (JsonNode z : s.path("zones")) {
            String f = z.path("last-failure").asText();
            if (!f.isEmpty()) out.printf("%n%s: %s", z.path("zone").asText(), f);
        }
        out.println();
    }

    /** "in 5m", "12s ago", "-". */
    static String rel(JsonNode t, Instant now) {
        if (t.isNull() || t.isMissingNode()) return "-";
        long s = Duration.between(now, Instant.parse(t.asText())).toSeconds();
        return s >= 0 ? "in " + ago(s) : ago(-s) + " ago";
    }

    static String ago(long seconds) {
        if (seconds < 120) return seconds + "s";
        if (seconds < 7200) return seconds / 60 + "m";
        if (seconds < 172800) return seconds / 3600 + "h";
        return seconds / 86400 + "d";
    }

    private static void table(List<String[]> rows, PrintStream out) {
        int[] w = new int[rows.get(0).length];
        for (String[] r : rows) for (int i = 0; i < r.length; i++) w[i] = Math.max(w[i], r[i].length());
        for (String[] r : rows) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                b.append(r[i]);
                if (i < r.length - 1) b.append(" ".repeat(w[i] - r[i].length() + 2));
            }
            out.println(b.toString().stripTrailing());
        }
    }
}
