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
import net.dnsoops.core.ZoneSnapshot;
import net.dnsoops.core.ZoneState;

/** Builds the bodies of GET /status and GET /health as plain maps (serialised by Jackson). */
final class StatusReport {
    private StatusReport() {
    }

    static Map<String, Object> status(OpsSources src) {
        List<ZoneSnapshot> zones = src.zones().orTimeout(2, TimeUnit.SECONDS).join();
        List<ServiceSnapshot> services = src.services().orTimeout(2, TimeUnit.SECONDS).join();
        List<OpsSources.Component> components = src.components();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", VersionProvider.version());
        m.put("now", Instant.now().toString());
        m.put("started", src.startedAt().toString());
        m.put("uptime-seconds", Duration.between(src.startedAt(), Instant.now()).toSeconds());
        m.put("ready", firstRoundDone(zones));
        // The one verdict (see Readiness): the CLI's exit code and the page's badge read it here.
        Map<ZoneState, Integer> counts = new java.util.EnumMap<>(ZoneState.class);
        for (ZoneState st : ZoneState.values()) counts.put(st, 0);
        for (ZoneSnapshot z : zones) counts.merge(z.state(), 1, Integer::sum);
        m.put("readiness", new Readiness(counts, services).toMap());
        List<Map<String, Object>> zl = new ArrayList<>();
        for (ZoneSnapshot z : zones) {
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
        m.put("zones", zl);
        List<Map<String, Object>> sl = new ArrayList<>();
        for (ServiceSnapshot s : services) {
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
        m.put("services", sl);
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

    /** Every zone has been checked at least once (or cannot be: no primaries). */
    static boolean firstRoundDone(List<ZoneSnapshot> zones) {
        return zones.stream().noneMatch(z -> z.state() == ZoneState.PENDING);
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

    private static String time(long ms) {
        return ms < 0 ? null : Instant.ofEpochMilli(ms).toString();
    }
}
