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
    /**
     * The zones in name order (DNS canonical), for status pages: built at the first page asked
     * after a (re)configuration, so a page costs one pass over the zones' states and never a
     * name comparison per zone (reading every zone's name was most of a page's time).
     */
    private Zone[] byName;
    /** Each zone's next deadline (a due check, an expiry warning, expiry), one per zone. */
    private final ZoneTimerQueue deadlines = new ZoneTimerQueue();
    private boolean started;
    /** Down servers (issue 10 probes) → the services they serve; an empty set means every service. */
    private final Map<String, Set<String>> serversDown = new HashMap<>();
    /** Issue 10: zones the verify input verifies, and what it last said about them. */
    private final Map<Name, Verification> verified = new HashMap<>();
    private VerifyRequester verifier;
    /** The site is drained: no service is ready. */
    private boolean drained;
    /**
     * Zones named by a "services" entry (a routing service) beyond its own group, by zone: the
     * further services each belongs to. Empty without "services".
     */
    private Map<Name, List<String>> listedIn = Map.of();

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
        configure(wanted, Map.of());
    }

    /**
     * ... and the "services" entries: each service's zones by name (a routing service's resolved
     * zones). A zone belongs to the service its group names and to every service listing it, so
     * the route policy, the conditions and the status page speak of the same services.
     */
    public void configure(Collection<ZoneSettings> wanted, Map<String, ? extends Collection<Name>> serviceZones) {
        Map<Name, List<String>> listed = new HashMap<>();
        serviceZones.forEach((service, names) -> {
            for (Name n : names) listed.computeIfAbsent(n, k -> new ArrayList<>(1)).add(service);
        });
        Map<Name, List<String>> listedBefore = listedIn;
        listedIn = listed;
        NameTable<ZoneSettings> keep = new NameTable<>(wanted.size());
        for (ZoneSettings s : wanted) {
            keep.put(s.name(), s);
            Zone z = zones.get(s.name());
            if (z == null) {
                z = new Zone(s);
                zones.put(s.name(), z);
                joinService(z);
                if (started) scheduleFirstCheck(z);
            } else if (!z.settings.service().equals(s.service())
                    || !listedBefore.getOrDefault(s.name(), List.of()).equals(listed.getOrDefault(s.name(), List.of()))) {
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
        byName = null; // zones came or went: the next status page sorts them again
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
            forEachService(z, s -> s.attempted++);
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
        String source = z.checkNotifier != null ? AddressText.of(z.checkNotifier) : hostOf(r.server());
        commit(z, r, source);
    }

    private void commit(Zone z, CheckResult r, String source) {
        long now = now();
        z.inFlight = false;
        z.lastCheckMs = now;
        boolean wasAttempted = z.attempted;
        z.attempted = true;
        if (!wasAttempted) forEachService(z, s -> s.attempted++);
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
        forEachService(z, this::updateService);
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
            forEachService(z, s -> s.ready++);
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
            if (wasReady != z.ready) forEachService(z, touched::add);
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
                forEachService(z, s -> s.ready--);
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

    /** The zone's group's service, then every other service that lists it. */
    private static void forEachService(Zone z, java.util.function.Consumer<Service> f) {
        f.accept(z.service);
        if (z.also != null) for (Service s : z.also) f.accept(s);
    }

    /**
     * Drain or undrain the site: while drained no service is ready (service-not-ready with reason
     * "drained"), so everything that follows readiness (routes, health, the page) says the same.
     */
    public void drained(boolean on) {
        if (drained == on) return;
        drained = on;
        if (started) services.values().forEach(this::updateService);
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
        // A server-up for a server never said down is still signalled: knotd's "started" is news.
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
        if (started) forEachService(z, this::updateService);
    }

    private int notValidIn(Service service) {
        int n = 0;
        for (Map.Entry<Name, Verification> e : verified.entrySet()) {
            if (!e.getValue().gate || Boolean.TRUE.equals(e.getValue().valid)) continue;
            Zone z = zones.get(e.getKey());
            if (z == null) continue;
            boolean member = z.service == service;
            if (!member && z.also != null) for (Service s : z.also) member |= s == service;
            if (member) n++;
        }
        return n;
    }

    private List<String> downServersOf(String service) {
        List<String> down = new ArrayList<>(0);
        for (Map.Entry<String, Set<String>> e : serversDown.entrySet()) {
            if (e.getValue().isEmpty() || e.getValue().contains(service)) down.add(e.getKey());
        }
        down.sort(null);
        return down.isEmpty() ? List.of() : List.copyOf(down);
    }

    private void joinService(Zone z) {
        z.service = service(z.settings.service());
        List<String> more = listedIn.getOrDefault(z.settings.name(), List.of());
        List<Service> also = new ArrayList<>(more.size());
        for (String n : more) {
            Service s = service(n);
            if (s != z.service && !also.contains(s)) also.add(s);
        }
        z.also = also.isEmpty() ? null : also.toArray(new Service[0]);
        forEachService(z, s -> {
            s.zones++;
            if (z.attempted) s.attempted++;
            if (z.ready) s.ready++;
        });
    }

    /**
     * Only {@link #configure} calls this, and it re-derives every service once all zones have
     * moved: deciding in between would signal a service that only seems ready while a zone is
     * between leaving and re-joining it.
     */
    private void leaveService(Zone z) {
        forEachService(z, s -> {
            s.zones--;
            if (z.attempted) s.attempted--;
            if (z.ready) s.ready--;
        });
    }

    private void updateService(Service s) {
        // Only zones that are verified are counted: O(those); none (e.g. all removed by a reload): none not valid.
        s.notValid = verified.isEmpty() ? 0 : notValidIn(s);
        Service.Status now = s.derived(drained);
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
                    s.reason(drained)));
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
        return a == null ? "" : AddressText.of(a.getAddress());
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

    /**
     * One page of the zones that pass {@code q}'s filter and, on a full pass, the zones per
     * service and state with every service's verdict built from those counts: what /status shows
     * comes from one moment. One pass over the zones in name order: no object per zone except the
     * page's, and per rank of the order only the first {@code q.limit()} zones are kept, so a page
     * of 50 out of a million costs a pass over the zones' states, not a million snapshots and a sort.
     * A later page ({@code after} set) in name order without a filter is read straight from the
     * name-sorted zones and counts nothing: {@code status --all} over a million zones is then one
     * pass, not one per page.
     */
    public ZonePage zonePage(ZoneQuery q) {
        Zone[] all = zonesByName();
        ZoneQuery.Cursor after = q.after();
        // zones from this index on come after the cursor's name
        int cursorAt = after == null ? 0 : firstAfter(all, after.name());
        boolean filtered = !q.states().isEmpty() || q.service() != null || q.prefix() != null || q.match() != null;
        if (after != null && q.order() == ZoneQuery.Order.NAME && !filtered) {
            int end = (int) Math.min(all.length, (long) cursorAt + q.limit());
            List<ZoneSnapshot> snaps = new ArrayList<>(end - cursorAt);
            for (int i = cursorAt; i < end; i++) snaps.add(all[i].snapshot());
            zonesVisited += end - cursorAt;
            ZoneQuery.Cursor next = end < all.length && end > cursorAt ? new ZoneQuery.Cursor(0, all[end - 1].settings.name()) : null;
            return new ZonePage(snaps, all.length, next, zones.size(), null, null, null, Set.copyOf(serversDown.keySet()));
        }
        int nStates = ZoneState.values().length;
        for (Service svc : services.values()) svc.stateCounts = new int[nStates];
        int[] byState = new int[nStates];
        boolean byText = q.prefix() != null || q.match() != null;
        @SuppressWarnings("unchecked")
        List<Zone>[] firstByRank = new List[ZoneState.values().length]; // ranks are 0..5
        int matched = 0;
        int following = 0;
        for (int i = 0; i < all.length; i++) {
            Zone z = all[i];
            ZoneState st = z.state();
            byState[st.ordinal()]++;
            z.service.stateCounts[st.ordinal()]++;
            if (z.also != null) for (Service s : z.also) s.stateCounts[st.ordinal()]++;
            if (!q.matches(st, z.service.name, byText ? z.name() : null) && !matchesAlso(q, z, st, byText)) continue;
            matched++;
            int rank = q.rank(st);
            if (after != null && (rank < after.rank() || rank == after.rank() && i < cursorAt)) continue;
            following++;
            List<Zone> first = firstByRank[rank];
            if (first == null) first = firstByRank[rank] = new ArrayList<>();
            if (first.size() < q.limit()) first.add(z);
        }
        zonesVisited += all.length;
        List<Zone> kept = new ArrayList<>();
        for (List<Zone> first : firstByRank) {
            if (first == null) continue;
            for (Zone z : first) if (kept.size() < q.limit()) kept.add(z);
        }
        List<ZoneSnapshot> snaps = kept.stream().map(Zone::snapshot).toList();
        ZoneQuery.Cursor next = null;
        if (following > kept.size() && !kept.isEmpty()) {
            Zone last = kept.get(kept.size() - 1);
            next = new ZoneQuery.Cursor(q.rank(last.state()), last.settings.name());
        }
        Map<String, Map<ZoneState, Integer>> byService = new java.util.TreeMap<>();
        List<ServiceSnapshot> verdicts = new ArrayList<>(services.size());
        for (Service svc : services.values()) {
            if (svc.zones > 0) byService.put(svc.name, stateMap(svc.stateCounts));
            verdicts.add(snapshot(svc, svc.stateCounts));
            svc.stateCounts = null;
        }
        verdicts.sort(Comparator.comparing(ServiceSnapshot::service));
        return new ZonePage(snaps, matched, next, zones.size(), byService, stateMap(byState), verdicts,
                Set.copyOf(serversDown.keySet()));
    }

    /** Zones {@link #zonePage} looked at since this watcher was made: tests check that a later page does not walk them all. */
    long zonesVisited;

    /** A service filter also finds a zone through the other services it counts towards. */
    private static boolean matchesAlso(ZoneQuery q, Zone z, ZoneState st, boolean byText) {
        if (z.also == null || q.service() == null) return false;
        for (Service s : z.also) if (q.matches(st, s.name, byText ? z.name() : null)) return true;
        return false;
    }

    private Zone[] zonesByName() {
        if (byName == null || byName.length != zones.size()) {
            byName = zones.values().toArray(new Zone[0]);
            java.util.Arrays.sort(byName, (a, b) -> a.settings.name().compareTo(b.settings.name()));
        }
        return byName;
    }

    /** The index of the first zone whose name comes after {@code name}. */
    private static int firstAfter(Zone[] sorted, Name name) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid].settings.name().compareTo(name) <= 0) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    private static Map<ZoneState, Integer> stateMap(int[] n) {
        Map<ZoneState, Integer> m = new java.util.EnumMap<>(ZoneState.class);
        for (ZoneState s : ZoneState.values()) m.put(s, n[s.ordinal()]);
        return m;
    }

    public ZoneSnapshot zone(Name name) {
        Zone z = zones.get(name);
        return z == null ? null : z.snapshot();
    }

    /**
     * Every service with the core's verdict, its reason and its zone counts, from the services'
     * counters: O(services), no pass over the zones. Zones by state are not counted here (states
     * empty, degraded false): {@link #zonePage} and {@link #readiness} count them where they are shown.
     */
    public List<ServiceSnapshot> services() {
        List<ServiceSnapshot> out = new ArrayList<>(services.size());
        for (Service s : services.values()) out.add(snapshot(s, null));
        out.sort(Comparator.comparing(ServiceSnapshot::service));
        return out;
    }

    /** Zones by state and every service's verdict, in one pass over the zones: the input of the one readiness rule. */
    public Readiness readiness() {
        int nStates = ZoneState.values().length;
        for (Service s : services.values()) s.stateCounts = new int[nStates];
        int[] all = new int[nStates];
        for (Zone z : zones.values()) {
            int st = z.state().ordinal();
            all[st]++;
            z.service.stateCounts[st]++;
            if (z.also != null) for (Service s : z.also) s.stateCounts[st]++;
        }
        List<ServiceSnapshot> out = new ArrayList<>(services.size());
        for (Service s : services.values()) {
            out.add(snapshot(s, s.stateCounts));
            s.stateCounts = null;
        }
        out.sort(Comparator.comparing(ServiceSnapshot::service));
        return new Readiness(stateMap(all), out);
    }

    /** {@code byState} null: verdict and counters only (no states, not degraded). */
    private ServiceSnapshot snapshot(Service s, int[] byState) {
        Map<String, Integer> states = new java.util.LinkedHashMap<>();
        boolean degraded = false;
        if (byState != null) {
            for (ZoneState st : ZoneState.values()) if (byState[st.ordinal()] > 0) states.put(st.wireName(), byState[st.ordinal()]);
            degraded = byState[ZoneState.REFRESH_FAILING.ordinal()] + byState[ZoneState.EXPIRING.ordinal()] > 0;
        }
        boolean ready = s.status == Service.Status.READY;
        return new ServiceSnapshot(s.name, s.zones, s.ready, s.attempted, ready, ready ? "" : s.reason(drained), drained,
                s.serversDown, s.notValid, states, degraded);
    }

    /** True while the site is drained. */
    public boolean drained() {
        return drained;
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
