package net.dnsoops.core;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;
import org.xbill.DNS.Serial;

/**
 * The zone state machine: what a secondary knows about each zone, and the conditions derived
 * from it. Single-threaded and free of I/O: time comes from the injected clock, SOA queries go
 * out through {@link CheckRequester}, conditions through {@link ConditionSink}. The caller
 * (normally {@link CoreLoop}) must call {@link #runDue()} when {@link #nextDeadline()} passes.
 */
public final class ZoneWatcher {
    private static final Logger log = LoggerFactory.getLogger(ZoneWatcher.class);

    private final Clock clock;
    private final RandomGenerator random;
    private final CheckRequester checks;
    private final ConditionSink sink;
    /** By name; not a HashMap: see {@link NameTable} for why. */
    private final NameTable<Zone> zones = new NameTable<>();
    private final Map<String, Service> services = new HashMap<>();
    /** Each zone's next deadline (a due check, an expiry warning, expiry), one per zone. */
    private final ZoneTimerQueue deadlines = new ZoneTimerQueue();
    private boolean started;
    /** Down servers (issue 10 probes) → the services they serve; an empty set means every service. */
    private final Map<String, Set<String>> serversDown = new HashMap<>();
    /** Issue 10: zones the verify input verifies, and what it last said about them. */
    private final Map<Name, Verification> verified = new HashMap<>();
    private VerifyRequester verifier;

    private static final class Verification {
        /** Not final: a reload may change "require-valid" while the verdict stays. */
        boolean gate;
        /** null: not verified yet; else the verdict on the last serial verified. */
        Boolean valid;

        Verification(boolean gate) {
            this.gate = gate;
        }
    }
    /** Bumped whenever something worth persisting changes (a verified SOA, an expiry). */
    private long stateVersion;

    public ZoneWatcher(Clock clock, RandomGenerator random, CheckRequester checks, ConditionSink sink) {
        this.clock = clock;
        this.random = random;
        this.checks = checks;
        this.sink = sink;
    }

    // ---- configuration -------------------------------------------------------------------

    /**
     * Installs a new zone list: zones that stay keep their state (settings replaced), new ones
     * are checked at once, removed ones are forgotten. Services are re-derived.
     */
    public void configure(Collection<ZoneSettings> wanted) {
        NameTable<ZoneSettings> keep = new NameTable<>(wanted.size());
        for (ZoneSettings s : wanted) {
            keep.put(s.name(), s);
            Zone z = zones.get(s.name());
            if (z == null) {
                z = new Zone(s);
                zones.put(s.name(), z);
                joinService(z);
                if (started) scheduleFirstCheck(z);
            } else if (!z.settings.service().equals(s.service())) {
                leaveService(z);
                z.settings = s;
                joinService(z);
            } else {
                z.settings = s;
            }
        }
        // Every wanted name is in the table now: as many zones as names kept means none to remove
        // (the usual case, and at start-up a pass over every zone saved).
        if (zones.size() > keep.size()) {
            for (Zone z : List.copyOf(zones.values())) {
                if (!keep.containsKey(z.settings.name())) {
                    zones.remove(z.settings.name());
                    deadlines.cancel(z);
                    leaveService(z);
                    log.info("zone {} removed from the configuration", z.name());
                }
            }
        }
        services.values().removeIf(s -> s.zones == 0);
        if (started) services.values().forEach(this::updateService);
    }

    /** Begins checking every zone; call once after {@link #configure}. */
    public void start() {
        if (started) return;
        started = true;
        zones.values().forEach(this::scheduleFirstCheck);
        services.values().forEach(this::updateService);
    }

    private void scheduleFirstCheck(Zone z) {
        if (z.expireAtMs >= 0 && now() >= z.expireAtMs) {
            // Expired while we were down: say so at once, not only after the first failed check.
            z.expired = true;
            emitZone(z, ConditionType.ZONE_EXPIRED, true, z.serial, -1, "", "expired before this start");
        }
        if (targets(z).isEmpty()) {
            // No primary and no notifier yet: nothing to ask. Not ready until a NOTIFY comes.
            z.attempted = true;
            z.lastFailure = "no primaries configured; waiting for a NOTIFY";
            z.service.attempted++;
            return;
        }
        z.nextCheckMs = now();
        reschedule(z);
    }

    // ---- inputs --------------------------------------------------------------------------

    /**
     * Config-only admission check for a NOTIFY (safe from any thread via CoreLoop's snapshot).
     * {@code verifiedKey} is the name of the TSIG key whose signature the listener verified, or null.
     */
    public static Admission admit(ZoneSettings settings, InetAddress source, Name verifiedKey) {
        if (settings == null) return Admission.NOT_CONFIGURED;
        if (settings.notifyKey() != null && !settings.notifyKey().equals(verifiedKey)) return Admission.WRONG_KEY;
        return settings.allows(source) ? Admission.ACCEPTED : Admission.REFUSED;
    }

    /** An admitted NOTIFY: check now, or once more after the check in flight. */
    public void notified(Name zoneName, InetAddress source) {
        Zone z = zones.get(zoneName);
        if (z == null) return;
        z.pendingNotifier = source;
        z.lastNotifier = source;
        if (z.inFlight) {
            z.recheck = true;
            return;
        }
        checkSoon(z);
    }

    /** Checks now, or as soon as the zone's minimum interval between checks allows. */
    private void checkSoon(Zone z) {
        long earliest = z.lastCheckStartMs + z.settings.timers().minCheckInterval().toMillis();
        if (now() >= earliest) {
            startCheck(z);
        } else if (z.nextCheckMs != earliest) { // not yet deferred to then: a NOTIFY storm adds no timers
            z.nextCheckMs = z.nextCheckMs < 0 ? earliest : Math.min(z.nextCheckMs, earliest);
            reschedule(z);
        }
    }

    /**
     * An operator asked for a check now (HTTP/CLI "refresh"): like a NOTIFY without a notifier,
     * coalesced with a check in flight. False if the zone is not configured.
     */
    public boolean refreshNow(Name zoneName) {
        Zone z = zones.get(zoneName);
        if (z == null) return false;
        if (z.inFlight) {
            z.recheck = true;
        } else {
            startCheck(z);
        }
        return true;
    }

    /**
     * A serial from a trusted input (Knot's D-Bus zone_updated with trust configured), committed like
     * a successful check without a query. SOA timers stay as last seen; before any SOA is known the
     * refresh and expire clamps' maxima apply. If a query is in flight it is not overtaken: the zone is
     * checked once more after it instead.
     */
    public void announced(Name zoneName, long serial, String source) {
        Zone z = zones.get(zoneName);
        if (z == null) return;
        if (z.inFlight) {
            z.recheck = true;
            return;
        }
        long unknown = Integer.MAX_VALUE; // seconds: clamps to the configured maximum
        CheckResult r = CheckResult.success(zoneName, serial, z.soaRefresh > 0 ? z.soaRefresh : unknown,
                z.soaRetry, z.soaExpire > 0 ? z.soaExpire : unknown, null);
        z.inFlight = true;
        z.checkNotifier = null;
        commit(z, r, source);
    }

    /** Commits a finished check. Only a success changes serial and timers. */
    public void checkFinished(CheckResult r) {
        Zone z = zones.get(r.zone());
        if (z == null || !z.inFlight) return;
        String source = z.checkNotifier != null ? z.checkNotifier.getHostAddress() : hostOf(r.server());
        commit(z, r, source);
    }

    private void commit(Zone z, CheckResult r, String source) {
        long now = now();
        z.inFlight = false;
        z.lastCheckMs = now;
        boolean wasAttempted = z.attempted;
        z.attempted = true;
        if (!wasAttempted) z.service.attempted++;
        if (r.success()) {
            succeeded(z, r, now, source);
        } else {
            failed(z, r, now);
        }
        if (z.recheck) {
            z.recheck = false;
            checkSoon(z);
        } else {
            reschedule(z);
        }
        updateService(z.service);
    }

    private void succeeded(Zone z, CheckResult r, long now, String source) {
        ZoneTimers t = z.settings.timers();
        boolean recovered = z.expired || z.refreshFailedRaised;
        stateVersion++;
        z.consecutiveFailures = 0;
        z.lastFailure = "";
        z.lastSuccessMs = now;
        z.soaRefresh = r.refresh();
        z.soaRetry = r.retry();
        z.soaExpire = r.expire();
        z.expireAtMs = now + t.expireMillis(r.expire());
        z.nextCheckMs = now + t.refreshMillis(r.refresh(), random);

        if (z.refreshFailedRaised) {
            z.refreshFailedRaised = false;
            emitZone(z, ConditionType.ZONE_REFRESH_FAILED, false, r.serial(), -1, source, "");
        }
        if (z.expiringRaised) {
            z.expiringRaised = false;
            emitZone(z, ConditionType.ZONE_EXPIRING, false, r.serial(), -1, source, "");
        }
        if (z.expired) {
            z.expired = false;
            emitZone(z, ConditionType.ZONE_EXPIRED, false, r.serial(), -1, source, "");
        }
        long old = z.serial;
        if (old >= 0 && r.serial() != old) {
            if (Serial.compare(r.serial(), old) > 0) {
                z.serial = r.serial();
                emitZone(z, ConditionType.ZONE_UPDATED, true, r.serial(), old, source, "");
            } else {
                // A primary whose serial went backwards (restored backup, reset): a secondary would
                // not transfer it. Keep serving, adopt it, but do not call it an update.
                log.warn("zone {}: serial went backwards from {} to {} (RFC 1982); not signalled as an update",
                        z.name(), old, r.serial());
                z.serial = r.serial();
            }
        } else {
            z.serial = r.serial();
        }
        if (recovered) {
            emitZone(z, ConditionType.ZONE_RECOVERED, true, r.serial(), -1, source, "");
        }
        boolean becameReady = !z.ready;
        if (!z.ready) {
            z.ready = true;
            z.service.ready++;
            emitZone(z, ConditionType.ZONE_READY, true, r.serial(), -1, source, "");
        }
        if (verifier != null && (becameReady || old != z.serial) && verified.containsKey(z.settings.name())) {
            verifier.requestVerify(new VerifyRequest(z.settings.name(), z.serial, r.server()));
        }
    }

    private void failed(Zone z, CheckResult r, long now) {
        ZoneTimers t = z.settings.timers();
        z.consecutiveFailures++;
        z.lastFailure = r.failure();
        z.nextCheckMs = now + (z.soaRetry > 0 ? t.retryMillis(z.soaRetry, random) : t.initialRetryMillis(random));
        log.debug("zone {}: check {} failed: {}", z.name(), z.consecutiveFailures, r.failure());
        if (!z.refreshFailedRaised && z.consecutiveFailures >= t.refreshFailures()) {
            z.refreshFailedRaised = true;
            emitZone(z, ConditionType.ZONE_REFRESH_FAILED, true, z.serial, -1, "", r.failure());
        }
    }

    // ---- time ----------------------------------------------------------------------------

    /** Epoch milliseconds of the earliest pending deadline, or -1 if none. */
    public long nextDeadline() {
        return deadlines.peekDueMs();
    }

    /** How many deadlines are pending: at most one per zone. */
    int pendingDeadlines() {
        return deadlines.size();
    }

    /** Handles every deadline that has passed: expiry, expiry warnings and due checks. */
    public void runDue() {
        long now = now();
        Set<Service> touched = new HashSet<>();
        while (deadlines.size() > 0 && deadlines.peekDueMs() <= now) {
            Zone z = deadlines.poll();
            boolean wasReady = z.ready;
            evaluateExpiry(z, now);
            if (z.inFlight) {
                scheduleExpiryOnly(z); // the check's result will reschedule the rest
            } else if (z.nextCheckMs <= now) {
                startCheck(z);
            } else {
                reschedule(z);
            }
            if (wasReady != z.ready) touched.add(z.service);
        }
        touched.forEach(this::updateService);
    }

    private void evaluateExpiry(Zone z, long now) {
        if (z.expireAtMs < 0 || z.expired) return;
        long warnAt = warnAt(z);
        if (now >= z.expireAtMs) {
            stateVersion++;
            z.expired = true;
            if (z.expiringRaised) {
                z.expiringRaised = false;
                emitZone(z, ConditionType.ZONE_EXPIRING, false, z.serial, -1, "", "expired");
            }
            emitZone(z, ConditionType.ZONE_EXPIRED, true, z.serial, -1, "", z.lastFailure);
            if (z.ready) {
                z.ready = false;
                z.service.ready--;
                emitZone(z, ConditionType.ZONE_READY, false, z.serial, -1, "", "expired");
            }
        } else if (now >= warnAt && !z.expiringRaised) {
            z.expiringRaised = true;
            emitZone(z, ConditionType.ZONE_EXPIRING, true, z.serial, -1, "",
                    "expires in " + (z.expireAtMs - now) / 1000 + " s");
        }
    }

    private void startCheck(Zone z) {
        List<InetSocketAddress> targets = targets(z);
        if (targets.isEmpty()) return;
        z.inFlight = true;
        z.lastCheckStartMs = now();
        z.checkNotifier = z.pendingNotifier;
        z.pendingNotifier = null;
        // a check in flight owns the zone's schedule until it finishes, but expiry must still fire if it hangs
        scheduleExpiryOnly(z);
        ZoneSettings s = z.settings;
        checks.requestCheck(new CheckRequest(s.name(), targets, s.soaTimeout(), s.soaTries(), s.soaKey()));
    }

    private static List<InetSocketAddress> targets(Zone z) {
        ZoneSettings s = z.settings;
        boolean useNotifier = s.queryNotifier() || s.primaries().isEmpty();
        InetAddress notifier = z.pendingNotifier != null ? z.pendingNotifier : z.lastNotifier;
        if (!useNotifier || notifier == null) return s.primaries();
        InetSocketAddress n = new InetSocketAddress(notifier, s.notifierPort());
        if (s.primaries().contains(n)) return s.primaries();
        List<InetSocketAddress> t = new ArrayList<>(s.primaries().size() + 1);
        t.add(n);
        t.addAll(s.primaries());
        return t;
    }

    /** When zone-expiring is due: the warning period (at most half of EXPIRE) before expiry. */
    private static long warnAt(Zone z) {
        return z.expireAtMs - z.settings.timers().warningMillis(z.expireAtMs - z.lastSuccessMs);
    }

    private void reschedule(Zone z) {
        long at = z.nextCheckMs;
        if (z.expireAtMs >= 0 && !z.expired) {
            long warnAt = warnAt(z);
            at = Math.min(at, z.expiringRaised ? z.expireAtMs : warnAt);
        }
        deadlines.schedule(z, at);
    }

    /** Leaves only the expiry (warning) deadline, if the zone has one to watch. */
    private void scheduleExpiryOnly(Zone z) {
        if (z.expireAtMs < 0 || z.expired) {
            deadlines.cancel(z);
            return;
        }
        deadlines.schedule(z, z.expiringRaised ? z.expireAtMs : warnAt(z));
    }

    // ---- services ------------------------------------------------------------------------

    private Service service(String name) {
        return services.computeIfAbsent(name, n -> {
            Service s = new Service(n);
            s.serversDown = downServersOf(n);
            return s;
        });
    }

    // ---- server health (issue 10) ------------------------------------------------------------

    /** Servers the probe input reported down and not up since. */
    public Set<String> serversDown() {
        return Set.copyOf(serversDown.keySet());
    }

    /**
     * A probed name server went up or down (after the probe's rise/fall). Signals server-up or
     * server-down (events, source = the server), and while a server is down every service it
     * serves ({@code services}; empty: every service) is not ready, even if its zones are.
     */
    public void serverHealth(String server, boolean up, Set<String> services, String detail) {
        if (up) serversDown.remove(server); else serversDown.put(server, Set.copyOf(services));
        // Field "services": whom the server serves (comma-separated, empty: every service), so that
        // actuators with their own service model (the BGP route policy) can follow it too.
        Condition c = Condition.server(up ? ConditionType.SERVER_UP : ConditionType.SERVER_DOWN, server, clock.instant(),
                detail);
        sink.emit(new Condition(c.type(), true, c.time(), null, null, -1, -1, server,
                Map.of("services", String.join(",", new java.util.TreeSet<>(services))), detail));
        for (Service s : this.services.values()) {
            s.serversDown = downServersOf(s.name);
            if (started) updateService(s);
        }
    }

    /**
     * Reload: the probe of {@code server} is gone. If it had said server-down, that no longer
     * holds: server-down is cleared (so actuators that track it, like the route policy, forget
     * it) and its services may be ready again. A server that was up needs nothing.
     */
    public void probeRemoved(String server) {
        Set<String> served = serversDown.remove(server);
        if (served == null) return;
        sink.emit(new Condition(ConditionType.SERVER_DOWN, false, clock.instant(), null, null, -1, -1, server,
                Map.of("services", String.join(",", new java.util.TreeSet<>(served))),
                "no longer probed (removed from \"probe\")"));
        for (Service s : this.services.values()) {
            s.serversDown = downServersOf(s.name);
            if (started) updateService(s);
        }
    }

    // ---- zone verification (issue 10) ---------------------------------------------------------

    /** The verify input offers to verify these zones; with {@code gate} their services wait for a valid verdict. */
    public void registerVerifier(Set<Name> names, boolean gate, VerifyRequester v) {
        verifier = v;
        // Registered again (a reload changed its settings): the verdict so far stays until the
        // new verification says otherwise, so nothing is raised twice.
        for (Name n : names) verified.computeIfAbsent(n, k -> new Verification(gate)).gate = gate;
        for (Name n : names) {
            Zone z = zones.get(n);
            if (z != null && z.ready) v.requestVerify(new VerifyRequest(n, z.serial, null));
        }
        if (started) this.services.values().forEach(this::updateService);
    }

    /**
     * Reload: these zones are no longer verified. A verdict that holds is cleared, and a gate no
     * longer holds their services back.
     */
    public void verifyRemoved(Set<Name> names) {
        for (Name n : names) {
            Verification v = verified.remove(n);
            Zone z = zones.get(n);
            if (v == null || v.valid == null || z == null) continue;
            emitZone(z, v.valid ? ConditionType.ZONE_VALID : ConditionType.ZONE_INVALID, false, z.serial, -1, "",
                    "no longer verified (removed from \"verify\")");
        }
        if (started) this.services.values().forEach(this::updateService);
    }

    /**
     * A verification finished. Stale verdicts (for a serial that is no longer current) are
     * dropped; a new serial keeps the previous verdict until its own arrives.
     */
    public void verified(Name name, long serial, boolean valid, String detail) {
        Zone z = zones.get(name);
        Verification v = verified.get(name);
        if (z == null || v == null || serial != z.serial) return;
        Boolean before = v.valid;
        v.valid = valid;
        if (before == null || before != valid) {
            if (before != null) {
                emitZone(z, before ? ConditionType.ZONE_VALID : ConditionType.ZONE_INVALID, false, serial, -1, "", detail);
            }
            emitZone(z, valid ? ConditionType.ZONE_VALID : ConditionType.ZONE_INVALID, true, serial, -1, "", detail);
        } else if (!valid) {
            log.warn("zone {} serial {} still invalid: {}", z.name(), serial, detail);
        }
        if (started) updateService(z.service);
    }

    private int notValidIn(String service) {
        int n = 0;
        for (Map.Entry<Name, Verification> e : verified.entrySet()) {
            if (!e.getValue().gate || Boolean.TRUE.equals(e.getValue().valid)) continue;
            Zone z = zones.get(e.getKey());
            if (z != null && z.settings.service().equals(service)) n++;
        }
        return n;
    }

    private int downServersOf(String service) {
        int n = 0;
        for (Set<String> serves : serversDown.values()) {
            if (serves.isEmpty() || serves.contains(service)) n++;
        }
        return n;
    }

    private void joinService(Zone z) {
        Service s = service(z.settings.service());
        z.service = s;
        s.zones++;
        if (z.attempted) s.attempted++;
        if (z.ready) s.ready++;
    }

    private void leaveService(Zone z) {
        Service s = z.service;
        s.zones--;
        if (z.attempted) s.attempted--;
        if (z.ready) s.ready--;
        if (started) updateService(s);
    }

    private void updateService(Service s) {
        // Only zones that are verified are counted: O(those); none (e.g. all removed by a reload): none not valid.
        s.notValid = verified.isEmpty() ? 0 : notValidIn(s.name);
        Service.Status now = s.derived();
        if (now == Service.Status.UNKNOWN || now == s.status) return;
        Service.Status before = s.status;
        s.status = now;
        Instant t = clock.instant();
        if (now == Service.Status.READY) {
            if (before == Service.Status.NOT_READY) {
                sink.emit(new Condition(ConditionType.SERVICE_NOT_READY, false, t, null, s.name, -1, -1, null, null, ""));
            }
            sink.emit(Condition.service(ConditionType.SERVICE_READY, s.name, t));
        } else {
            if (before == Service.Status.READY) {
                sink.emit(new Condition(ConditionType.SERVICE_READY, false, t, null, s.name, -1, -1, null, null, ""));
            }
            sink.emit(new Condition(ConditionType.SERVICE_NOT_READY, true, t, null, s.name, -1, -1, null, null,
                    (s.zones - s.ready) + " of " + s.zones + " zones not ready"
                            + (s.serversDown > 0 ? ", " + s.serversDown + " server(s) down" : "")
                            + (s.notValid > 0 ? ", " + s.notValid + " zone(s) not verified valid" : "")));
        }
    }

    // ---- output --------------------------------------------------------------------------

    private void emitZone(Zone z, ConditionType type, boolean raised, long serial, long oldSerial, String source,
                          String detail) {
        ZoneSettings s = z.settings;
        sink.emit(new Condition(type, raised, clock.instant(), s.zoneText(), s.service(), serial, oldSerial, source,
                s.fields(), detail));
    }

    private long now() {
        return clock.millis();
    }

    private static String hostOf(InetSocketAddress a) {
        return a == null ? "" : a.getAddress().getHostAddress();
    }

    // ---- persistence ---------------------------------------------------------------------

    /**
     * Takes back what a previous run knew, before {@link #start()}. Zones stay unverified (not
     * ready) until checked again; a zone whose expiry passed while we were down starts expired.
     */
    public void restore(Collection<PersistedZone> saved) {
        for (PersistedZone p : saved) {
            Zone z = zones.get(nameOf(p.zone()));
            if (z == null || p.serial() < 0) continue;
            z.serial = p.serial();
            z.lastSuccessMs = p.lastSuccessMs();
            z.expireAtMs = p.expireAtMs();
            z.soaRefresh = p.refresh();
            z.soaRetry = p.retry();
            z.soaExpire = p.expire();
        }
    }

    /** Counter that changes whenever {@link #persistentState()} would. */
    public long stateVersion() {
        return stateVersion;
    }

    public List<PersistedZone> persistentState() {
        List<PersistedZone> out = new ArrayList<>();
        for (Zone z : zones.values()) {
            if (z.serial < 0) continue;
            out.add(new PersistedZone(z.name(), z.serial, z.lastSuccessMs, z.expireAtMs, z.soaRefresh, z.soaRetry,
                    z.soaExpire));
        }
        return out;
    }

    private static Name nameOf(String zone) {
        try {
            return Name.fromString(zone, Name.root);
        } catch (org.xbill.DNS.TextParseException e) {
            return Name.root;
        }
    }

    // ---- status --------------------------------------------------------------------------

    public List<ZoneSnapshot> zones() {
        return zones.values().stream().map(Zone::snapshot)
                .sorted(Comparator.comparing(ZoneSnapshot::zone)).toList();
    }

    public ZoneSnapshot zone(Name name) {
        Zone z = zones.get(name);
        return z == null ? null : z.snapshot();
    }

    public List<ServiceSnapshot> services() {
        return services.values().stream().map(Service::snapshot)
                .sorted(Comparator.comparing(ServiceSnapshot::service)).toList();
    }

    public int zoneCount() {
        return zones.size();
    }

    /**
     * How many zones are in each state (every state present, 0 if none). For health checks,
     * metrics and systemd's status: unlike {@link #zones()} it makes no object per zone, which
     * with a million zones was a hundred megabytes and a sort per probe.
     */
    public Map<ZoneState, Integer> stateCounts() {
        int[] n = new int[ZoneState.values().length];
        for (Zone z : zones.values()) n[z.state().ordinal()]++;
        Map<ZoneState, Integer> m = new java.util.EnumMap<>(ZoneState.class);
        for (ZoneState s : ZoneState.values()) m.put(s, n[s.ordinal()]);
        return m;
    }
}
