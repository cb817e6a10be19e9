package net.dnsoops.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one rule every "is it ready?" answer uses: /health/services, the systemd STATUS line,
 * {@code dns-oops status}'s exit code (through /status), the status page's badge and the
 * Docker HEALTHCHECK (which runs that command). The daemon is ready when its first check round
 * is done and every service is ready in the core's sense ({@link ServiceSnapshot#ready()}: every
 * zone served, no server of it down, every gated zone valid, the site not drained).
 *
 * @param zones    zones by state, every state present
 * @param services every service with the core's verdict and reason
 */
public record Readiness(Map<ZoneState, Integer> zones, List<ServiceSnapshot> services) {
    public Readiness {
        zones = Map.copyOf(zones);
        services = List.copyOf(services);
    }

    /** Every zone was checked once (or cannot be: no primaries): the daemon can signal. */
    public boolean firstRoundDone() {
        return zones.getOrDefault(ZoneState.PENDING, 0) == 0;
    }

    public int zoneCount() {
        return zones.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** The services that are not ready, in name order. */
    public List<ServiceSnapshot> notReady() {
        return services.stream().filter(s -> !s.ready()).toList();
    }

    /** The rule: first round done and every service ready. */
    public boolean ready() {
        return firstRoundDone() && services.stream().allMatch(ServiceSnapshot::ready);
    }

    /**
     * One line for people (systemd's STATUS, logs): "3 zones, 2 ready; services: dns not ready
     * (1 of 3 zones not ready)" or "...; services: all 2 ready".
     */
    public String summary() {
        StringBuilder b = new StringBuilder();
        b.append(zoneCount()).append(" zones, ").append(zones.getOrDefault(ZoneState.READY, 0)).append(" ready");
        if (!firstRoundDone()) {
            b.append("; first round: ").append(zoneCount() - zones.get(ZoneState.PENDING)).append(" of ")
                    .append(zoneCount()).append(" zones checked");
            return b.toString();
        }
        List<ServiceSnapshot> bad = notReady();
        if (bad.isEmpty()) return b.append("; services: all ").append(services.size()).append(" ready").toString();
        List<String> parts = new ArrayList<>();
        for (ServiceSnapshot s : bad) parts.add(s.service() + " not ready (" + s.reason() + ")");
        int shown = Math.min(parts.size(), 5); // a STATUS line stays a line
        b.append("; services: ").append(String.join(", ", parts.subList(0, shown)));
        if (parts.size() > shown) b.append(" and ").append(parts.size() - shown).append(" more not ready");
        return b.toString();
    }

    /** As JSON for /status and /health/services: the verdict and each service that is not ready with why. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ready", ready());
        m.put("first-round-done", firstRoundDone());
        m.put("services", services.size());
        List<Map<String, Object>> bad = new ArrayList<>();
        for (ServiceSnapshot s : notReady()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("service", s.service());
            e.put("reason", s.reason());
            bad.add(e);
        }
        m.put("not-ready", bad);
        m.put("summary", summary());
        return m;
    }
}
