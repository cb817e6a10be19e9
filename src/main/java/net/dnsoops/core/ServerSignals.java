package net.dnsoops.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.xbill.DNS.Name;

/**
 * The conditions that are not about a zone's SOA: DNSSEC signature expiry, query-rate
 * thresholds, Extended DNS Errors, and zones a local server serves that are not watched. Inputs report what they observed; this class, like
 * {@link ZoneWatcher}, decides when a condition starts and stops holding. Single-threaded, no
 * I/O; time from the injected clock. Run on the core thread by {@link CoreLoop}.
 */
public final class ServerSignals {
    /** Below this share of the threshold a query-rate-high clears (hysteresis against flapping). */
    static final double RATE_CLEAR_RATIO = 0.9;

    private enum Sig { OK, EXPIRING, EXPIRED }

    private record SigKey(String server, Name zone, Name owner, String type) {
    }

    private final Clock clock;
    private final ConditionSink sink;
    private final Map<SigKey, Sig> signatures = new HashMap<>();
    private final Set<String> rateHigh = new HashSet<>();
    private final Set<String> rateRising = new HashSet<>();
    /**
     * (reporting input, server, zone or null) → code → text of the EDEs the last answer carried.
     * Each input keeps its own: a probe filtered by ede-codes and the SOA checks of the same
     * server must not clear each other's codes.
     */
    private record EdeKey(String via, String server, Name zone) {
    }

    private final Map<EdeKey, Map<Integer, String>> edeCodes = new HashMap<>();
    /** The zones dns-oops watches (the config's), and by server: the zones it serves, those of them raised as unwatched. */
    private Set<Name> watched = Set.of();
    private final Map<String, Set<Name>> served = new HashMap<>();
    private final Map<String, Set<Name>> unwatched = new HashMap<>();
    private final Map<String, java.util.function.Consumer<Set<Name>>> unwatchedListeners = new HashMap<>();

    public ServerSignals(Clock clock, ConditionSink sink) {
        this.clock = clock;
        this.sink = sink;
    }

    // ---- DNSSEC ----------------------------------------------------------------------------

    /**
     * One DNSSEC check of {@code zone} at {@code server}: every signed RRset seen, with its latest
     * expiration. RRsets not reported again keep their state (a failed query proves nothing).
     */
    public void signatures(String server, Name zone, List<SignatureExpiry> seen, Duration warning) {
        Instant now = clock.instant();
        for (SignatureExpiry s : seen) {
            SigKey k = new SigKey(server, zone, s.owner(), s.type());
            Sig before = signatures.getOrDefault(k, Sig.OK);
            Sig after = !now.isBefore(s.expiration()) ? Sig.EXPIRED
                    : !now.plus(warning).isBefore(s.expiration()) ? Sig.EXPIRING : Sig.OK;
            if (after == before) continue;
            signatures.put(k, after);
            if (before != Sig.OK) emitSig(k, s, before, false, now);
            if (after != Sig.OK) emitSig(k, s, after, true, now);
        }
    }

    /** Reload: {@code zone} at {@code server} is no longer checked; what its signatures held is cleared. */
    public void dnssecRemoved(String server, Name zone) {
        Instant now = clock.instant();
        for (Map.Entry<SigKey, Sig> e : List.copyOf(signatures.entrySet())) {
            SigKey k = e.getKey();
            if (!k.server().equals(server) || !k.zone().equals(zone)) continue;
            signatures.remove(k);
            if (e.getValue() == Sig.OK) continue;
            ConditionType type = e.getValue() == Sig.EXPIRED ? ConditionType.DNSSEC_EXPIRED : ConditionType.DNSSEC_EXPIRING;
            Map<String, String> f = new LinkedHashMap<>();
            f.put("owner", k.owner().toString());
            f.put("type", k.type());
            sink.emit(new Condition(type, false, now, zone.toString(), null, -1, -1, server, f,
                    k.owner() + " " + k.type() + ": no longer checked (removed from \"dnssec\")"));
        }
    }

    private void emitSig(SigKey k, SignatureExpiry s, Sig which, boolean raised, Instant now) {
        ConditionType type = which == Sig.EXPIRED ? ConditionType.DNSSEC_EXPIRED : ConditionType.DNSSEC_EXPIRING;
        long left = Duration.between(now, s.expiration()).toSeconds();
        Map<String, String> f = new LinkedHashMap<>();
        f.put("owner", s.owner().toString());
        f.put("type", s.type());
        f.put("expiration", s.expiration().toString());
        f.put("time-left", Long.toString(left));
        String detail = s.owner() + " " + s.type() + " RRSIG " + (left >= 0 ? "expires in " + left + " s"
                : "expired " + -left + " s ago") + " (" + s.expiration() + ")";
        sink.emit(new Condition(type, raised, now, k.zone().toString(), null, -1, -1, k.server(), f, detail));
    }

    // ---- query rates -------------------------------------------------------------------------

    /**
     * A server's query rate (queries/s over the last interval) and its increase since the interval
     * before (queries/s); thresholds of 0 or less are off.
     */
    public void queryRate(String server, double rate, double increase, double high, double rising) {
        Instant now = clock.instant();
        Map<String, String> f = new LinkedHashMap<>();
        f.put("rate", fmt(rate));
        f.put("increase", fmt(increase));
        // A threshold a reload turned off clears what it held.
        if (high <= 0 && rateHigh.remove(server)) emitRateOff(ConditionType.QUERY_RATE_HIGH, server, f, now);
        if (rising <= 0 && rateRising.remove(server)) emitRateOff(ConditionType.QUERY_RATE_RISING, server, f, now);
        if (high > 0) {
            boolean was = rateHigh.contains(server);
            boolean is = was ? rate >= high * RATE_CLEAR_RATIO : rate >= high;
            if (is != was) {
                if (is) rateHigh.add(server); else rateHigh.remove(server);
                Map<String, String> g = new LinkedHashMap<>(f);
                g.put("threshold", fmt(high));
                sink.emit(new Condition(ConditionType.QUERY_RATE_HIGH, is, now, null, null, -1, -1, server, g,
                        fmt(rate) + " queries/s (threshold " + fmt(high) + ")"));
            }
        }
        if (rising > 0) {
            boolean was = rateRising.contains(server);
            boolean is = increase >= rising;
            if (is != was) {
                if (is) rateRising.add(server); else rateRising.remove(server);
                Map<String, String> g = new LinkedHashMap<>(f);
                g.put("threshold", fmt(rising));
                sink.emit(new Condition(ConditionType.QUERY_RATE_RISING, is, now, null, null, -1, -1, server, g,
                        "rate " + fmt(rate) + " queries/s, up " + fmt(increase) + " (threshold " + fmt(rising) + ")"));
            }
        }
    }

    /** The query-rate conditions that hold now, by the servers they hold for (copies). */
    public Map<ConditionType, Set<String>> queryRatesHolding() {
        Map<ConditionType, Set<String>> m = new java.util.EnumMap<>(ConditionType.class);
        if (!rateHigh.isEmpty()) m.put(ConditionType.QUERY_RATE_HIGH, Set.copyOf(rateHigh));
        if (!rateRising.isEmpty()) m.put(ConditionType.QUERY_RATE_RISING, Set.copyOf(rateRising));
        return m;
    }

    /** Reload: the "stats" entry of {@code server} is gone; its query-rate conditions are cleared. */
    public void statsRemoved(String server) {
        Instant now = clock.instant();
        Map<String, String> f = Map.of();
        if (rateHigh.remove(server)) emitRateOff(ConditionType.QUERY_RATE_HIGH, server, f, now);
        if (rateRising.remove(server)) emitRateOff(ConditionType.QUERY_RATE_RISING, server, f, now);
    }

    private void emitRateOff(ConditionType type, String server, Map<String, String> fields, Instant now) {
        sink.emit(new Condition(type, false, now, null, null, -1, -1, server, fields,
                "threshold no longer configured (reload)"));
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : String.format(java.util.Locale.ROOT, "%.1f", d);
    }

    // ---- Extended DNS Errors -------------------------------------------------------------------

    /**
     * The EDE options (code → text) one answer from {@code server} about {@code zone} (may be null)
     * carried, as the input {@code via} ("probe", "soa-check") saw it. A code not seen before is
     * raised; a code the previous answer had and this one lacks is cleared (with its last text).
     */
    public void extendedErrors(String via, String server, Name zone, Map<Integer, String> codes) {
        // Nearly every answer carries no EDE and nothing is held: no key, no allocation.
        if (codes.isEmpty() && edeCodes.isEmpty()) return;
        Instant now = clock.instant();
        EdeKey key = new EdeKey(via, server, zone);
        Map<Integer, String> before = edeCodes.getOrDefault(key, Map.of());
        for (Map.Entry<Integer, String> e : codes.entrySet()) {
            if (!before.containsKey(e.getKey())) emitEde(via, server, zone, e.getKey(), e.getValue(), true, now);
        }
        for (Map.Entry<Integer, String> e : before.entrySet()) {
            if (!codes.containsKey(e.getKey())) emitEde(via, server, zone, e.getKey(), e.getValue(), false, now);
        }
        if (codes.isEmpty()) edeCodes.remove(key); else edeCodes.put(key, Map.copyOf(codes));
    }

    /** Reload: the probe of {@code server} is gone; the EDE codes its last answers carried are cleared. */
    public void edeRemoved(String server) {
        Instant now = clock.instant();
        for (Map.Entry<EdeKey, Map<Integer, String>> e : List.copyOf(edeCodes.entrySet())) {
            if (!e.getKey().via().equals("probe") || !e.getKey().server().equals(server)) continue;
            edeCodes.remove(e.getKey());
            for (Map.Entry<Integer, String> c : e.getValue().entrySet()) {
                emitEde("probe", server, e.getKey().zone(), c.getKey(), c.getValue(), false, now);
            }
        }
    }

    // ---- zones a server serves that are not watched ------------------------------------------

    /**
     * {@code server}'s own zone list, read successfully: every zone on it that is not watched
     * raises zone-unwatched once; one that is watched now or gone from the list clears it.
     * {@code unwatchedNow} is told the server's unwatched zones after this and after each reload.
     */
    public void zonesServed(String server, Set<Name> zones, java.util.function.Consumer<Set<Name>> unwatchedNow) {
        served.put(server, Set.copyOf(zones));
        unwatchedListeners.put(server, unwatchedNow);
        evaluateUnwatched(server);
    }

    /** Reload: {@code server}'s zone list is no longer read; the zone-unwatched it raised are cleared. */
    public void serverZonesRemoved(String server) {
        served.remove(server);
        unwatchedListeners.remove(server);
        Instant now = clock.instant();
        for (Name z : unwatched.getOrDefault(server, Set.of())) {
            emitUnwatched(server, z, false, now, "the zone list of " + server + " is no longer read (reload)");
        }
        unwatched.remove(server);
    }

    private void evaluateUnwatched(String server) {
        Instant now = clock.instant();
        Set<Name> zones = served.getOrDefault(server, Set.of());
        Set<Name> before = unwatched.getOrDefault(server, Set.of());
        Set<Name> after = new java.util.TreeSet<>();
        for (Name z : zones) if (!watched.contains(z)) after.add(z);
        for (Name z : before) {
            if (after.contains(z)) continue;
            emitUnwatched(server, z, false, now, watched.contains(z) ? "now watched" : "no longer served by " + server);
        }
        for (Name z : after) {
            if (!before.contains(z)) emitUnwatched(server, z, true, now, "served by " + server + " but not in dns-oops's zones");
        }
        if (after.isEmpty()) unwatched.remove(server); else unwatched.put(server, Set.copyOf(after));
        java.util.function.Consumer<Set<Name>> l = unwatchedListeners.get(server);
        if (l != null) l.accept(java.util.Collections.unmodifiableSet(after));
    }

    private void emitUnwatched(String server, Name zone, boolean raised, Instant now, String detail) {
        sink.emit(new Condition(ConditionType.ZONE_UNWATCHED, raised, now, zone.toString(), null, -1, -1, server,
                Map.of(), detail));
    }

    /**
     * Reload: only {@code zones} remain configured. The codes the SOA checks saw for a removed
     * zone are cleared: nothing will check that zone again to clear them.
     */
    public void zonesKept(java.util.Set<Name> zones) {
        watched = zones;
        for (String server : List.copyOf(served.keySet())) evaluateUnwatched(server);
        Instant now = clock.instant();
        for (Map.Entry<EdeKey, Map<Integer, String>> e : List.copyOf(edeCodes.entrySet())) {
            EdeKey k = e.getKey();
            if (!k.via().equals("soa-check") || k.zone() == null || zones.contains(k.zone())) continue;
            edeCodes.remove(k);
            for (Map.Entry<Integer, String> c : e.getValue().entrySet()) {
                emitEde(k.via(), k.server(), k.zone(), c.getKey(), c.getValue(), false, now);
            }
        }
    }

    private void emitEde(String via, String server, Name zone, int code, String text, boolean raised, Instant now) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("code", Integer.toString(code));
        f.put("code-name", edeName(code));
        f.put("text", text == null ? "" : text);
        String detail = "EDE " + code + " (" + edeName(code) + ")" + (text == null || text.isEmpty() ? "" : ": " + text)
                + " in " + via + " answers";
        sink.emit(new Condition(ConditionType.EDE, raised, now, zone == null ? null : zone.toString(), null, -1, -1,
                server, f, detail));
    }

    /** RFC 8914 section 4 names (and the registry's later additions up to 30). */
    public static String edeName(int code) {
        return switch (code) {
            case 0 -> "Other Error";
            case 1 -> "Unsupported DNSKEY Algorithm";
            case 2 -> "Unsupported DS Digest Type";
            case 3 -> "Stale Answer";
            case 4 -> "Forged Answer";
            case 5 -> "DNSSEC Indeterminate";
            case 6 -> "DNSSEC Bogus";
            case 7 -> "Signature Expired";
            case 8 -> "Signature Not Yet Valid";
            case 9 -> "DNSKEY Missing";
            case 10 -> "RRSIGs Missing";
            case 11 -> "No Zone Key Bit Set";
            case 12 -> "NSEC Missing";
            case 13 -> "Cached Error";
            case 14 -> "Not Ready";
            case 15 -> "Blocked";
            case 16 -> "Censored";
            case 17 -> "Filtered";
            case 18 -> "Prohibited";
            case 19 -> "Stale NXDomain Answer";
            case 20 -> "Not Authoritative";
            case 21 -> "Not Supported";
            case 22 -> "No Reachable Authority";
            case 23 -> "Network Error";
            case 24 -> "Invalid Data";
            case 25 -> "Signature Expired before Valid";
            case 26 -> "Too Early";
            case 27 -> "Unsupported NSEC3 Iterations Value";
            case 28 -> "Unable to conform to policy";
            case 29 -> "Synthesized";
            case 30 -> "Invalid Query Type";
            default -> "code " + code;
        };
    }
}
