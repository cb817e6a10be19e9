package net.dnsoops.ops;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.dnsoops.cli.VersionProvider;
import net.dnsoops.core.Condition;
import net.dnsoops.core.Health;
import net.dnsoops.core.Readiness;
import net.dnsoops.core.ServiceSnapshot;
import net.dnsoops.core.ZonePage;
import net.dnsoops.core.ZoneQuery;
import net.dnsoops.core.ZoneSnapshot;
import net.dnsoops.core.ZoneState;

/** Builds the bodies of GET /status and GET /health as plain maps (serialised by Jackson). */
public final class StatusReport {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private StatusReport() {
    }

    /** GET /status's document on one line (the control socket's "status-json"). */
    public static String statusJson(OpsSources src) {
        try {
            return JSON.writeValueAsString(status(src, query(Map.of())));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Zones listed by a /status without {@code limit}: every zone of a small site, a bounded page of a big one. */
    static final int DEFAULT_LIMIT = 1000;
    /** The most zones one /status lists (page through more with {@code after}). */
    static final int MAX_LIMIT = 10_000;
    private static final java.util.Set<String> PARAMS = java.util.Set.of("state", "service", "prefix", "match", "order",
            "limit", "after");

    /**
     * The zone query of a /status request's parameters: state (comma-separated states, or
     * not-ready), service, prefix, match (a glob), order (state or name), limit, after (the
     * previous page's "next"). IllegalArgumentException says what is wrong in the user's words.
     */
    static ZoneQuery query(Map<String, List<String>> params) {
        for (String k : params.keySet()) {
            if (!PARAMS.contains(k)) {
                throw new IllegalArgumentException("unknown parameter \"" + k + "\" (known: " + String.join(", ",
                        new java.util.TreeSet<>(PARAMS)) + ")");
            }
        }
        java.util.Set<ZoneState> states = java.util.EnumSet.noneOf(ZoneState.class);
        for (String v : params.getOrDefault("state", List.of())) {
            for (String one : v.split(",")) {
                String t = one.strip();
                if (t.isEmpty()) continue;
                if (t.equals("not-ready")) {
                    states.addAll(java.util.EnumSet.complementOf(java.util.EnumSet.of(ZoneState.READY)));
                    continue;
                }
                ZoneState st = java.util.Arrays.stream(ZoneState.values()).filter(x -> stateName(x).equals(t)).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("unknown state \"" + t + "\" (known: not-ready, "
                                + java.util.Arrays.stream(ZoneState.values()).map(StatusReport::stateName)
                                        .collect(java.util.stream.Collectors.joining(", ")) + ")"));
                states.add(st);
            }
        }
        String order = one(params, "order");
        ZoneQuery.Order o;
        if (order == null || order.equals("state")) o = ZoneQuery.Order.STATE;
        else if (order.equals("name")) o = ZoneQuery.Order.NAME;
        else throw new IllegalArgumentException("order must be \"state\" (not-ready zones first) or \"name\", not \"" + order + "\"");
        int limit = DEFAULT_LIMIT;
        String l = one(params, "limit");
        if (l != null) {
            try {
                limit = Integer.parseInt(l);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 0 || limit > MAX_LIMIT) {
                throw new IllegalArgumentException("limit must be a number from 0 (counts only) to " + MAX_LIMIT + ", not \"" + l + "\"");
            }
        }
        String after = one(params, "after");
        ZoneQuery.Cursor cursor = after == null || after.isEmpty() ? null : ZoneQuery.Cursor.parse(after);
        String match = one(params, "match");
        return new ZoneQuery(states, blankToNull(one(params, "service")), blankToNull(one(params, "prefix")),
                match == null || match.isBlank() ? null : ZoneQuery.glob(match.strip()), o, limit, cursor);
    }

    private static String one(Map<String, List<String>> params, String name) {
        List<String> v = params.get(name);
        if (v == null || v.isEmpty()) return null;
        if (v.size() > 1 && !name.equals("state")) throw new IllegalArgumentException("give \"" + name + "\" once");
        return v.get(0);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    static Map<String, Object> status(OpsSources src, ZoneQuery query) {
        // One core query, so the page, the counts and the verdicts come from one moment. A pass
        // over every zone (a second or two with a million zones on a busy machine; the first after
        // a start or reload also sorts them by name), except a later page in name order.
        ZonePage page = src.zonePage(query).orTimeout(30, TimeUnit.SECONDS).join();
        List<OpsSources.Component> components = src.components();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", VersionProvider.version());
        m.put("now", Instant.now().toString());
        m.put("started", src.startedAt().toString());
        m.put("uptime-seconds", Duration.between(src.startedAt(), Instant.now()).toSeconds());
        if (page.counted()) counts(m, src, page);
        m.put("zones", zones(page));
        m.put("zones-matched", page.matched());
        m.put("next", page.next() == null ? null : page.next().toString());
        if (page.counted()) m.put("services", services(page, components));
        List<Map<String, Object>> cl = new ArrayList<>();
        for (OpsSources.Component c : components) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("kind", c.kind());
            e.put("name", c.name());
            e.put("health", c.health().status().name().toLowerCase());
            e.put("detail", c.health().detail());
            if (c.self() instanceof OpsContributor oc) e.putAll(oc.statusDetails());
            cl.add(e);
        }
        m.put("components", cl);
        List<Map<String, Object>> rl = new ArrayList<>();
        for (Condition c : src.conditions().recent()) rl.add(condition(c));
        m.put("recent-conditions", rl);
        return m;
    }

    /** The verdict and the summary: only on a page the core counted (see {@link ZonePage#counted()}). */
    private static void counts(Map<String, Object> m, OpsSources src, ZonePage page) {
        Map<ZoneState, Integer> totals = page.byState();
        m.put("ready", totals.get(ZoneState.PENDING) == 0);
        // The one verdict (see Readiness): the CLI's exit code and the page's badge read it here.
        m.put("readiness", new Readiness(totals, page.services()).toMap());
        m.put("drained", src.drained());
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("zones", page.total());
        summary.put("ready", totals.get(ZoneState.READY));
        summary.put("not-ready", page.total() - totals.get(ZoneState.READY));
        summary.put("states", stateCounts(totals));
        summary.put("servers-down", new java.util.TreeSet<>(page.serversDown()));
        m.put("summary", summary);
    }

    private static List<Map<String, Object>> zones(ZonePage page) {
        List<Map<String, Object>> zl = new ArrayList<>();
        for (ZoneSnapshot z : page.zones()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("zone", z.zone());
            e.put("service", z.service());
            e.put("state", stateName(z.state()));
            e.put("serial", z.serial() < 0 ? null : z.serial());
            e.put("last-check", time(z.lastCheckMs()));
            e.put("last-success", time(z.lastSuccessMs()));
            e.put("next-check", time(z.nextCheckMs()));
            e.put("expires", time(z.expireAtMs()));
            e.put("consecutive-failures", z.consecutiveFailures());
            e.put("last-failure", z.lastFailure());
            e.put("last-notifier", z.lastNotifier());
            zl.add(e);
        }
        return zl;
    }

    private static List<Map<String, Object>> services(ZonePage page, List<OpsSources.Component> components) {
        List<Map<String, Object>> sl = new ArrayList<>();
        for (ServiceSnapshot s : page.services()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("service", s.service());
            e.putAll(service(s));
            // Per-actuator view of the service (prefixes, announced/withdrawn) from contributors.
            Map<String, Object> per = new LinkedHashMap<>();
            for (OpsSources.Component c : components) {
                if (c.self() instanceof OpsContributor oc && oc.statusDetails().get("services") instanceof Map<?, ?> byService
                        && byService.get(s.service()) != null) {
                    per.put(c.name(), byService.get(s.service()));
                }
            }
            if (!per.isEmpty()) e.put("actuators", per);
            sl.add(e);
        }
        return sl;
    }

    /** One service's verdict as /status and /health/services show it. */
    static Map<String, Object> service(ServiceSnapshot s) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("ready", s.ready());
        e.put("reason", s.reason());
        e.put("degraded", s.degraded());
        e.put("zones", s.zones());
        e.put("ready-zones", s.readyZones());
        e.put("zones-by-state", s.states());
        e.put("drained", s.drained());
        e.put("servers-down", s.serversDown());
        e.put("zones-not-valid", s.notValid());
        return e;
    }

    /**
     * GET /health/services (name null) or /health/services/NAME: the readiness rule's verdict
     * with every service (or the one) and why it is not ready. Null: no service of that name.
     */
    static Map<String, Object> services(OpsSources src, String name) {
        Readiness r = src.readiness().orTimeout(2, TimeUnit.SECONDS).join();
        Map<String, Object> m = new LinkedHashMap<>();
        if (name != null) {
            ServiceSnapshot s = r.services().stream().filter(x -> x.service().equals(name)).findFirst().orElse(null);
            if (s == null) return null;
            m.put("service", s.service());
            m.putAll(service(s));
            return m;
        }
        m.putAll(r.toMap());
        List<Map<String, Object>> all = new ArrayList<>();
        for (ServiceSnapshot s : r.services()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("service", s.service());
            e.putAll(service(s));
            all.add(e);
        }
        m.put("services", all);
        return m;
    }

    /** Liveness is answering at all (the core thread replied); readiness is the first check round done. */
    static Map<String, Object> health(OpsSources src) {
        Map<String, Object> m = new LinkedHashMap<>();
        Map<ZoneState, Integer> zones;
        try {
            zones = src.zoneStates().orTimeout(2, TimeUnit.SECONDS).join();
        } catch (RuntimeException e) {
            m.put("live", false);
            m.put("ready", false);
            m.put("detail", "core thread did not answer within 2 s");
            return m;
        }
        boolean round = zones.get(ZoneState.PENDING) == 0;
        List<String> failed = src.components().stream().filter(c -> c.health().status() == Health.Status.FAILED)
                .map(c -> c.kind() + " " + c.name() + ": " + c.health().detail()).toList();
        m.put("live", true);
        m.put("ready", round && failed.isEmpty());
        m.put("first-round-done", round);
        m.put("zones", zones.values().stream().mapToInt(Integer::intValue).sum());
        m.put("zones-ready", zones.get(ZoneState.READY));
        m.put("failed-components", failed);
        return m;
    }

    /** State name → zones, every state present (0 when none). */
    private static Map<String, Integer> stateCounts(Map<ZoneState, Integer> counts) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (ZoneState st : ZoneState.values()) m.put(stateName(st), counts.getOrDefault(st, 0));
        return m;
    }

    static Map<String, Object> condition(Condition c) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("time", c.time().toString());
        e.put("condition", c.type().wireName());
        e.put("state", c.state());
        if (c.zone() != null) e.put("zone", c.zone());
        if (c.service() != null) e.put("service", c.service());
        if (c.serial() >= 0) e.put("serial", c.serial());
        if (c.oldSerial() >= 0) e.put("old-serial", c.oldSerial());
        if (!c.source().isEmpty()) e.put("source", c.source());
        if (!c.detail().isEmpty()) e.put("detail", c.detail());
        return e;
    }

    static String stateName(ZoneState s) {
        return s.wireName();
    }

    /** ISO 8601 UTC; null for none (-1) and for 0, which is no real time (a zone without primaries has no next check). */
    private static String time(long ms) {
        return ms <= 0 ? null : Instant.ofEpochMilli(ms).toString();
    }
}
