package net.dnsoops.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import net.dnsoops.core.AddressPrefix;
import net.dnsoops.core.ZoneProfile;
import net.dnsoops.core.ZoneSettings;
import net.dnsoops.core.ZoneTimers;
import org.xbill.DNS.Name;

/**
 * One zone's settings, and the shape of "defaults". Every field is optional: a zone inherits
 * what it leaves out from "defaults", and "defaults" from {@link #BUILTIN}, the one place where
 * built-in defaults live. Keys the config does not know become template fields ("last-octet").
 */
public final class ZoneConfig implements Validated {
    /** Built-in defaults: what a zone gets when neither it nor "defaults" says otherwise. */
    public static final ZoneConfig BUILTIN = builtin();

    public List<InetSocketAddress> primaries;
    public List<AddressPrefix> allowNotify;
    public String group;
    public Boolean queryNotifier;
    public Integer notifierPort;
    public Duration soaTimeout;
    public Integer soaTries;
    public Duration minRefresh;
    public Duration maxRefresh;
    public Duration minRetry;
    public Duration maxRetry;
    public Duration minExpire;
    public Duration maxExpire;
    public Duration initialRetry;
    public Duration expireWarning;
    public Double jitter;
    public Integer refreshFailures;
    public Duration minCheckInterval;
    /** TSIG key a NOTIFY for this zone must be signed with; unsigned or otherwise signed: NOTAUTH. */
    public String notifyKey;
    /** TSIG key to sign this zone's SOA queries with; the answer must verify. */
    public String soaKey;
    /** Reserved for per-zone DSC statistics; accepted and templated, not acted on yet. */
    public Boolean generateDsc;
    /** Reserved for per-zone pcap capture; accepted and templated, not acted on yet. */
    public Boolean generatePcap;

    /**
     * Free template fields, in file order. Most zones have none: an empty map per zone cost 39 MB
     * while a config of a million zones was being read, so the map is made with the first field.
     */
    private Map<String, String> fields = Map.of();

    /** What every zone written as {@code {}} is (shared, see ZonesDeserializer): it sets nothing and must not change. */
    static final ZoneConfig EMPTY = new ZoneConfig();

    static final Set<String> KNOWN_KEYS = Set.of("primaries", "allow-notify", "group", "query-notifier",
            "notifier-port", "soa-timeout", "soa-tries", "min-refresh", "max-refresh", "min-retry", "max-retry",
            "min-expire", "max-expire", "initial-retry", "expire-warning", "jitter", "refresh-failures",
            "generate-dsc", "generate-pcap", "notify-key", "soa-key", "min-check-interval");

    private static ZoneConfig builtin() {
        ZoneConfig b = new ZoneConfig();
        b.primaries = List.of();
        b.allowNotify = List.of();
        b.group = "default";
        b.queryNotifier = false;
        b.notifierPort = 53;
        b.soaTimeout = Duration.ofSeconds(2);
        b.soaTries = 2;
        b.minRefresh = Duration.ofSeconds(5);
        b.maxRefresh = Duration.ofDays(1);
        b.minRetry = Duration.ofSeconds(1);
        b.maxRetry = Duration.ofHours(1);
        b.minExpire = Duration.ofSeconds(10);
        b.maxExpire = Duration.ofDays(28);
        b.initialRetry = Duration.ofSeconds(10);
        b.expireWarning = Duration.ofHours(1);
        b.jitter = 0.1;
        b.refreshFailures = 2;
        b.minCheckInterval = Duration.ofMillis(100);
        b.generateDsc = false;
        b.generatePcap = false;
        return b;
    }

    /**
     * An unknown key: a template field if it is a scalar and not a near-miss of a known key.
     * Called by {@link ConfigLoader} (which knows the key's line) for keys Jackson does not know.
     */
    void field(String key, JsonNode value) {
        if (key.startsWith("_")) return; // comments
        String near = Strings.closest(KNOWN_KEYS, key);
        if (near != null) {
            throw new IllegalArgumentException("unknown key \"" + key + "\" (did you mean \"" + near + "\"?)");
        }
        if (!value.isValueNode() || value.isNull()) {
            throw new IllegalArgumentException("template field \"" + key + "\" must be a string, number or boolean");
        }
        if (fields.isEmpty()) fields = new LinkedHashMap<>();
        fields.put(key, value.asText());
    }

    public Map<String, String> fields() {
        return fields;
    }

    @Override
    public void validate() {
        if (soaTries != null && soaTries < 1) throw new IllegalArgumentException("\"soa-tries\" must be at least 1");
        if (refreshFailures != null && refreshFailures < 1) {
            throw new IllegalArgumentException("\"refresh-failures\" must be at least 1");
        }
        if (jitter != null && (jitter < 0 || jitter >= 1)) {
            throw new IllegalArgumentException("\"jitter\" must be at least 0 and below 1");
        }
        if (notifierPort != null && (notifierPort < 1 || notifierPort > 65535)) {
            throw new IllegalArgumentException("\"notifier-port\" must be 1-65535");
        }
        if (group != null && group.isBlank()) throw new IllegalArgumentException("\"group\" must not be empty");
    }

    /** This zone's settings with {@code defaults} (already resolved against BUILTIN) filling the gaps. */
    public ZoneSettings resolve(Name name, ZoneConfig defaults, TsigKeys keys) {
        return resolve(name, defaults, keys, new HashMap<>());
    }

    /**
     * As above; {@code shared} interns equal timer records, field maps and primary lists across
     * zones, so that a million zones with the same settings share one copy of each.
     */
    public ZoneSettings resolve(Name name, ZoneConfig defaults, TsigKeys keys, Map<Object, Object> shared) {
        if (!setsNothing()) return resolveFields(name, defaults, keys, shared);
        // Most zones set nothing of their own: they are "defaults" under their own name. Resolving
        // each of a million such zones in full made garbage enough to double start-up time.
        Inherited key = new Inherited(defaults, keys);
        ZoneSettings inherited = (ZoneSettings) shared.get(key);
        if (inherited == null) { // not computeIfAbsent: resolving uses the shared map itself
            inherited = resolveFields(Name.root, defaults, keys, shared);
            shared.put(key, inherited);
        }
        return new ZoneSettings(name, inherited.profile());
    }

    /** Key of the settings a zone that sets nothing gets from these defaults (by identity). */
    private record Inherited(ZoneConfig defaults, TsigKeys keys) {
    }

    /** True if this zone sets none of its settings and no template field (ZoneConfigTest checks every field is here). */
    boolean setsNothing() {
        return primaries == null && allowNotify == null && group == null && queryNotifier == null
                && notifierPort == null && soaTimeout == null && soaTries == null && minRefresh == null
                && maxRefresh == null && minRetry == null && maxRetry == null && minExpire == null
                && maxExpire == null && initialRetry == null && expireWarning == null && jitter == null
                && refreshFailures == null && minCheckInterval == null && notifyKey == null && soaKey == null
                && generateDsc == null && generatePcap == null && fields.isEmpty();
    }

    @SuppressWarnings("unchecked")
    private ZoneSettings resolveFields(Name name, ZoneConfig defaults, TsigKeys keys, Map<Object, Object> shared) {
        ZoneConfig d = defaults;
        Map<String, String> all = new LinkedHashMap<>(d.fields);
        all.putAll(fields);
        ZoneTimers timers = new ZoneTimers(
                or(minRefresh, d.minRefresh), or(maxRefresh, d.maxRefresh), or(minRetry, d.minRetry),
                or(maxRetry, d.maxRetry), or(minExpire, d.minExpire), or(maxExpire, d.maxExpire),
                or(initialRetry, d.initialRetry), or(expireWarning, d.expireWarning), or(jitter, d.jitter),
                or(refreshFailures, d.refreshFailures), or(minCheckInterval, d.minCheckInterval));
        timers = (ZoneTimers) shared.computeIfAbsent(timers, k -> k);
        List<InetSocketAddress> prim = (List<InetSocketAddress>) shared.computeIfAbsent(
                List.copyOf(or(primaries, d.primaries)), k -> k);
        // Every scalar setting is a template field too, so hooks can say {group} or {primaries}.
        all.put("group", or(group, d.group));
        all.put("primaries", prim.stream().map(ConfigValues::format).collect(Collectors.joining(" ")));
        all.put("generate-dsc", String.valueOf(or(generateDsc, d.generateDsc)));
        all.put("generate-pcap", String.valueOf(or(generatePcap, d.generatePcap)));
        Map<String, String> fieldsShared = (Map<String, String>) shared.computeIfAbsent(Map.copyOf(all), k -> k);
        String nk = or(notifyKey, d.notifyKey);
        String sk = or(soaKey, d.soaKey);
        ZoneProfile profile = new ZoneProfile(or(group, d.group), prim, or(allowNotify, d.allowNotify),
                or(queryNotifier, d.queryNotifier), or(notifierPort, d.notifierPort), timers,
                or(soaTimeout, d.soaTimeout), or(soaTries, d.soaTries), fieldsShared,
                nk == null ? null : ConfigValues.zoneName(nk), sk == null ? null : keys.get(ConfigValues.zoneName(sk)));
        // zones that set the same things share a profile too (TSIG compares by identity: one per key)
        return new ZoneSettings(name, (ZoneProfile) shared.computeIfAbsent(profile, k -> k));
    }

    /** "defaults" resolved against the built-in defaults, field by field. */
    ZoneConfig overlay(ZoneConfig base) {
        ZoneConfig r = new ZoneConfig();
        r.primaries = or(primaries, base.primaries);
        r.allowNotify = or(allowNotify, base.allowNotify);
        r.group = or(group, base.group);
        r.queryNotifier = or(queryNotifier, base.queryNotifier);
        r.notifierPort = or(notifierPort, base.notifierPort);
        r.soaTimeout = or(soaTimeout, base.soaTimeout);
        r.soaTries = or(soaTries, base.soaTries);
        r.minRefresh = or(minRefresh, base.minRefresh);
        r.maxRefresh = or(maxRefresh, base.maxRefresh);
        r.minRetry = or(minRetry, base.minRetry);
        r.maxRetry = or(maxRetry, base.maxRetry);
        r.minExpire = or(minExpire, base.minExpire);
        r.maxExpire = or(maxExpire, base.maxExpire);
        r.initialRetry = or(initialRetry, base.initialRetry);
        r.expireWarning = or(expireWarning, base.expireWarning);
        r.jitter = or(jitter, base.jitter);
        r.refreshFailures = or(refreshFailures, base.refreshFailures);
        r.minCheckInterval = or(minCheckInterval, base.minCheckInterval);
        r.generateDsc = or(generateDsc, base.generateDsc);
        r.generatePcap = or(generatePcap, base.generatePcap);
        r.notifyKey = or(notifyKey, base.notifyKey);
        r.soaKey = or(soaKey, base.soaKey);
        r.fields = new LinkedHashMap<>(base.fields);
        r.fields.putAll(fields);
        return r;
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
