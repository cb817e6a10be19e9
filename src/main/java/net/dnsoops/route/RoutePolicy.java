package net.dnsoops.route;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import net.dnsoops.core.Condition;
import net.dnsoops.core.ConditionType;
import net.dnsoops.core.ServiceSnapshot;
import net.dnsoops.core.ZoneSnapshot;
import net.dnsoops.core.ZoneState;

/**
 * Turns conditions into the set of routes that should be announced: the one piece of routing
 * logic every BGP actuator shares, so BIRD, ExaBGP and commands agree on what "up" means.
 *
 * <p>Whether a service may be announced at all is the core's word, not decided again here: the
 * service's {@code service-ready} (every zone ready, no server of it down, every gated zone
 * valid, the site not drained). A ready service is UP while every zone refreshes, DEGRADED
 * while some zone's refreshes fail or its expiry is near (attribute policy: the "degraded"
 * attributes, or withdrawn with when-degraded "withdraw"); a service that is not ready is
 * WITHDRAWN. A change towards a better state
 * must be seen {@code rise} evaluations in a row, towards a worse one {@code fall} times, and a
 * state is kept at least {@code hold}. Draining and stopping withdraw at once, bypassing all that.
 * Nothing is announced before the core said service-ready.
 *
 * <p>Server conditions that make a site less attractive without taking it down (query-rate-high,
 * query-rate-rising) never change the route state: while one holds for a server the service
 * follows, the service's routes carry its attributes added to the state's, at once (the stats
 * input's interval and hysteresis are the damping); when it clears, the state's alone again.
 *
 * <p>Single-threaded and free of I/O; time comes from the injected clock.
 */
public final class RoutePolicy {
    /** What is announced for a service, from worst to best. */
    public enum RouteState { WITHDRAWN, DEGRADED, UP }

    private static final class ZoneView {
        boolean refreshFailing;
        boolean expiring;

        boolean soft() {
            return refreshFailing || expiring;
        }
    }

    private static final class ServiceState {
        final ServiceSettings settings;
        /** The core's verdict: service-ready holds for this service. */
        boolean ready;
        RouteState current = RouteState.WITHDRAWN;
        RouteState candidate;
        int seen;
        long nextEvalMs = -1;
        long lastChangeMs = Long.MIN_VALUE / 2;

        ServiceState(ServiceSettings settings) {
            this.settings = settings;
        }
    }

    private final Clock clock;
    private final List<ServiceState> services = new ArrayList<>();
    private final Map<String, List<ServiceState>> byZone = new HashMap<>();
    private final Map<String, ServiceState> byName = new HashMap<>();
    private final Map<String, ZoneView> zones = new HashMap<>();
    private boolean draining;
    private boolean stopping;
    /** Per server condition that adds attributes (query-rate-*): the servers it holds for now. */
    private final Map<ConditionType, java.util.Set<String>> holding = new java.util.EnumMap<>(ConditionType.class);

    public RoutePolicy(Clock clock, List<ServiceSettings> settings) {
        this.clock = clock;
        for (ServiceSettings s : settings) {
            ServiceState st = new ServiceState(s);
            services.add(st);
            byName.put(s.name(), st);
            for (String z : s.zones()) {
                byZone.computeIfAbsent(z, k -> new ArrayList<>()).add(st);
                zones.computeIfAbsent(z, k -> new ZoneView());
            }
        }
    }

    /**
     * Starts from the core's current state (after a start or a reload), then evaluates: the
     * services' verdicts, the zones' soft states, drain, and the server conditions holding now
     * that add attributes (query-rate-*, by server).
     */
    public void seed(List<ZoneSnapshot> snapshot, List<ServiceSnapshot> verdicts, boolean drained,
                     Map<ConditionType, java.util.Set<String>> servers) {
        servers.forEach((type, names) -> {
            if (type != ConditionType.SERVER_DOWN) holding.computeIfAbsent(type, k -> new java.util.TreeSet<>()).addAll(names);
        });
        for (ServiceSnapshot v : verdicts) {
            ServiceState st = byName.get(v.service());
            if (st != null) st.ready = v.ready();
        }
        for (ZoneSnapshot s : snapshot) {
            ZoneView z = zones.get(s.zone());
            if (z == null) continue;
            z.refreshFailing = s.state() == ZoneState.REFRESH_FAILING || s.state() == ZoneState.EXPIRING;
            z.expiring = s.state() == ZoneState.EXPIRING;
        }
        draining = drained;
        services.forEach(s -> evaluate(s, false));
    }

    /** Feeds one condition; returns true if what it changed may change the desired routes. */
    public boolean apply(Condition c) {
        switch (c.type()) {
            case DRAINING -> draining = c.raised();
            case BRIDGE_STOPPING -> stopping = stopping || c.raised();
            // The core's verdict; a server that is down (probe, knotd) reaches routes through it,
            // for exactly the services the server serves.
            case SERVICE_READY, SERVICE_NOT_READY -> {
                ServiceState st = c.service() == null ? null : byName.get(c.service());
                if (st == null) return false;
                boolean ready = c.type() == ConditionType.SERVICE_READY ? c.raised() : !c.raised();
                if (st.ready == ready) return false;
                st.ready = ready;
                evaluate(st, false);
                return true;
            }
            case QUERY_RATE_HIGH, QUERY_RATE_RISING -> {
                // attributes only: no service changes state, so nothing to evaluate
                java.util.Set<String> servers = holding.computeIfAbsent(c.type(), k -> new java.util.TreeSet<>());
                return c.raised() ? servers.add(c.source()) : servers.remove(c.source());
            }
            case ZONE_REFRESH_FAILED, ZONE_EXPIRING -> { // soft states: attribute policy only
                ZoneView z = c.zone() == null ? null : zones.get(c.zone());
                if (z == null) return false;
                if (c.type() == ConditionType.ZONE_REFRESH_FAILED) z.refreshFailing = c.raised(); else z.expiring = c.raised();
                byZone.getOrDefault(c.zone(), List.of()).forEach(s -> evaluate(s, false));
                return true;
            }
            default -> {
                return false;
            }
        }
        services.forEach(s -> evaluate(s, false));
        return true;
    }

    /** Withdraw everything for good (shutdown), whether or not bridge-stopping was seen. */
    public void stop() {
        stopping = true;
        services.forEach(s -> evaluate(s, false));
    }

    /** Epoch ms of the next evaluation a rising or falling service needs, or -1. */
    public long nextDeadline() {
        long next = -1;
        for (ServiceState s : services) {
            if (s.nextEvalMs >= 0 && (next < 0 || s.nextEvalMs < next)) next = s.nextEvalMs;
        }
        return next;
    }

    /** Runs the evaluations that are due. */
    public void runDue() {
        long now = clock.millis();
        for (ServiceState s : services) {
            if (s.nextEvalMs >= 0 && s.nextEvalMs <= now) evaluate(s, true);
        }
    }

    private RouteState wanted(ServiceState s) {
        if (draining || stopping || !s.ready) return RouteState.WITHDRAWN;
        boolean soft = false;
        for (String name : s.settings.zones()) soft |= zones.get(name).soft();
        if (!soft) return RouteState.UP;
        return s.settings.whenDegraded() == ServiceConfig.WhenDegraded.WITHDRAW ? RouteState.WITHDRAWN
                : RouteState.DEGRADED;
    }

    private void evaluate(ServiceState s, boolean timer) {
        long now = clock.millis();
        RouteState want = wanted(s);
        if (draining || stopping) { // an operator's or the shutdown's word is final: no rise, fall or hold
            change(s, want, now);
            s.lastChangeMs = Long.MIN_VALUE / 2; // and after an undrain, hold does not delay the return
            return;
        }
        if (want == s.current) {
            s.candidate = null;
            s.seen = 0;
            s.nextEvalMs = -1;
            return;
        }
        if (want != s.candidate) {
            s.candidate = want;
            s.seen = 1;
        } else if (timer) {
            s.seen++;
        }
        int needed = want.ordinal() > s.current.ordinal() ? s.settings.rise() : s.settings.fall();
        if (s.seen < needed) {
            s.nextEvalMs = now + s.settings.interval().toMillis();
            return;
        }
        long holdUntil = s.lastChangeMs + s.settings.hold().toMillis();
        if (now < holdUntil) {
            s.nextEvalMs = holdUntil;
            return;
        }
        change(s, want, now);
    }

    private static void change(ServiceState s, RouteState to, long now) {
        if (s.current != to) s.lastChangeMs = now;
        s.current = to;
        s.candidate = null;
        s.seen = 0;
        s.nextEvalMs = -1;
    }

    /** The routes that should be announced now, by prefix. */
    public SortedMap<String, Route> desired() {
        SortedMap<String, Route> out = new TreeMap<>();
        for (ServiceState s : services) {
            if (s.current == RouteState.WITHDRAWN) continue;
            RouteAttributes a = attributes(s.settings, s.current);
            for (String p : s.settings.prefixes()) out.put(p, new Route(p, s.settings.name(), a));
        }
        return Collections.unmodifiableSortedMap(out);
    }

    /**
     * The state's attributes plus those of every server condition holding for a server the
     * service follows, in ConditionType order: the same conditions always give the same result.
     */
    private RouteAttributes attributes(ServiceSettings s, RouteState state) {
        RouteAttributes a = state == RouteState.UP ? s.up() : s.degraded();
        for (Map.Entry<ConditionType, RouteAttributes> e : s.addedWhile().entrySet()) {
            if (holding.getOrDefault(e.getKey(), java.util.Set.of()).stream().anyMatch(s::followsServer)) {
                a = a.plus(e.getValue());
            }
        }
        return a;
    }

    /** Every prefix any service may announce: what a full resync withdraws when not desired. */
    public List<String> allPrefixes() {
        List<String> all = new ArrayList<>();
        services.forEach(s -> all.addAll(s.settings.prefixes()));
        Collections.sort(all);
        return all;
    }

    /** Names of every zone some service depends on. */
    public java.util.Set<String> zoneNames() {
        return java.util.Set.copyOf(zones.keySet());
    }

    /** A service's current route state, for status output and tests. */
    public RouteState state(String service) {
        return services.stream().filter(s -> s.settings.name().equals(service)).findFirst()
                .map(s -> s.current).orElse(null);
    }

    /**
     * For status output: which server conditions add attributes to an announced service now, e.g.
     * " (query-rate-high: local-nsd) (query-rate-rising: local-nsd)"; empty when none does.
     */
    public String addedAttributesNote() {
        // one parenthesis each, like "(drained)": the control socket's status line already uses "; "
        StringBuilder j = new StringBuilder();
        holding.forEach((type, servers) -> {
            java.util.Set<String> used = new java.util.TreeSet<>();
            for (ServiceState s : services) {
                if (s.current == RouteState.WITHDRAWN || !s.settings.addedWhile().containsKey(type)) continue;
                servers.stream().filter(s.settings::followsServer).forEach(used::add);
            }
            if (!used.isEmpty()) j.append(" (").append(type.wireName()).append(": ").append(String.join(", ", used)).append(')');
        });
        return j.toString();
    }

    public boolean draining() {
        return draining;
    }
}
