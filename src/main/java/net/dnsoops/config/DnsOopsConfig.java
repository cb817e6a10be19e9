package net.dnsoops.config;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.dnsoops.actuator.bird.BirdConfig;
import net.dnsoops.actuator.command.CommandConfig;
import net.dnsoops.actuator.dbus.DbusConfig;
import net.dnsoops.actuator.exabgp.ExabgpConfig;
import net.dnsoops.actuator.hook.HookConfig;
import net.dnsoops.actuator.mqtt.MqttConfig;
import net.dnsoops.actuator.relay.RelayConfig;
import net.dnsoops.actuator.webhook.WebhookConfig;
import net.dnsoops.capture.CaptureConfig;
import net.dnsoops.core.ZoneSettings;
import net.dnsoops.input.knotdbus.KnotDbusConfig;
import net.dnsoops.ops.HttpConfig;
import net.dnsoops.route.ServiceConfig;
import net.dnsoops.route.ServiceResolver;
import net.dnsoops.route.ServiceSettings;
import org.xbill.DNS.Name;

/**
 * The whole config file. Field initialisers are the defaults; unknown keys are rejected (keys
 * starting with "_" are comments). Every key is documented in docs/configuration.md.
 */
public final class DnsOopsConfig implements Validated {
    /** Where NOTIFYs are received, UDP and TCP on each: "addr@port". */
    public List<InetSocketAddress> listen = List.of(ConfigValues.addressAndPort("127.0.0.1@53530", 53530));
    /** A TCP connection with nothing to say for this long is closed. */
    public Duration tcpIdleTimeout = Duration.ofSeconds(10);
    /** At most this many TCP connections at once; further ones are closed at accept. */
    public int tcpMaxConnections = 1000;
    /**
     * Messages per second one source address may send to the listener (burst: the same number);
     * beyond it messages get no answer. 0 turns the limit off.
     */
    public int notifyRatePerSource = 20000;
    /** Global cap on SOA queries sent per second, so a restart with many zones cannot hammer a primary. */
    public int soaQueriesPerSecond = 500;
    /** At most this many SOA checks outstanding at once. */
    public int soaMaxInFlight = 1000;
    /** Settings every zone inherits. */
    public ZoneConfig defaults = new ZoneConfig();
    /**
     * The zones to watch, by name. The daemon empties this map once it has built the zones'
     * settings (see {@link #zoneSettings()}), so read it only while constructing components.
     */
    @com.fasterxml.jackson.databind.annotation.JsonDeserialize(using = ZonesDeserializer.class)
    public Map<Name, ZoneConfig> zones = new LinkedHashMap<>();
    /** Command hooks. */
    public List<HookConfig> hooks = List.of();
    /** How many hook commands may run at once (per-zone order is kept). */
    public int hookWorkers = 4;
    /** Log lines: "text" (default) or "json" (one object per line). DNS_OOPS_LOG_FORMAT overrides it. */
    public String logFormat = "text";
    /** The operations HTTP server (status, metrics, health, control); absent: none. See docs/http.md. */
    public HttpConfig http;
    /** Where zone state survives restarts (serial, last success, expiry); null: not kept. */
    public String stateFile;
    /** How often changed state is written to {@link #stateFile}. */
    public Duration stateSaveInterval = Duration.ofSeconds(1);
    /** Unix socket for "dns-oops drain|undrain|status"; created at start (parent directory too). */
    public java.nio.file.Path controlSocket = java.nio.file.Path.of("/run/dns-oops/control.sock");
    /** While this file exists the site is drained: every route withdrawn, also across restarts. */
    public java.nio.file.Path drainFile = java.nio.file.Path.of("/var/lib/dns-oops/drained");
    /** Anycast services: zones, prefixes and route policy, for the route actuators below. */
    public Map<String, ServiceConfig> services = new LinkedHashMap<>();
    /** Route actuator: a local BIRD 2 through its control socket; null (absent): off. */
    public BirdConfig bird;
    /** Route actuator: ExaBGP 4.2, as its API process or through its named pipes; null: off. */
    public ExabgpConfig exabgp;
    /** Route actuator: argv templates to announce/withdraw one prefix (GoBGP, FRR, ...); null: off. */
    public CommandConfig command;
    /** TSIG keys by name; more may come from {@link #keysFile}. */
    public Map<String, TsigKeyConfig> keys = new LinkedHashMap<>();
    /** A JSON file {"key-name": {"algorithm": ..., "secret": ...}} readable only by the service user. */
    public String keysFile;
    /** hmac-md5 is broken; keys using it are refused unless this is set. */
    public boolean allowHmacMd5 = false;

    /** This site's name in webhook documents and MQTT topics (anycast fleets: one per site). Default: the host name. */
    public String site = SiteName.local();
    /** Webhook actuator: POST a JSON document per condition (docs/webhook.md). */
    public WebhookConfig webhook = new WebhookConfig();
    /** MQTT actuator: retained per-zone/service state, last will, control topic (docs/mqtt.md). */
    public MqttConfig mqtt = new MqttConfig();
    /** NOTIFY relay: fan verified updates out to downstream servers (docs/relay.md). */
    public RelayConfig relay = new RelayConfig();
    /** Where the per-zone "generate-pcap" / "generate-dsc" flags write (docs/capture.md). */
    public CaptureConfig capture = new CaptureConfig();
    /** Issue 10: local name servers whose health decides service readiness (input/probe, docs/probe.md). */
    public List<net.dnsoops.input.probe.ProbeConfig> probe = List.of();
    /** Issue 10: signed zones whose RRSIG expirations are watched (input/dnssec, docs/dnssec.md). */
    public List<net.dnsoops.input.dnssec.DnssecConfig> dnssec = List.of();
    /** Issue 10: servers whose query counters are read for rate thresholds (input/stats, docs/stats.md). */
    public List<net.dnsoops.input.stats.StatsConfig> stats = List.of();
    /** Local name servers whose own zone list is checked for zones not watched (input/serverzones, docs/zones.md). */
    public List<net.dnsoops.input.serverzones.ServerZonesConfig> serverZones = List.of();
    /** Issue 10: zones transferred and checked (ZONEMD, DNSSEC) on every new serial (input/verify, docs/verify.md). */
    public List<net.dnsoops.input.verify.VerifyConfig> verify = List.of();

    /** {@link #zoneSettings()}, once resolved. */
    private List<ZoneSettings> resolvedZones;

    /** Keys from "keys" and "keys-file", set by the loader once both are read. */
    private TsigKeys keyRing = TsigKeys.NONE;

    void keyRing(TsigKeys ring) {
        this.keyRing = ring;
    }

    public TsigKeys keyRing() {
        return keyRing;
    }

    /** D-Bus signals (Knot-compatible and native profiles); absent: off. See docs/dbus.md. */
    public DbusConfig dbus;
    /** Listen to a local knotd's D-Bus signals; absent: off. See docs/dbus.md. */
    public KnotDbusConfig knotDbus;

    @Override
    public void validate() {
        if (listen.isEmpty()) throw new IllegalArgumentException("\"listen\" must name at least one address@port");
        if (tcpMaxConnections < 1) throw new IllegalArgumentException("\"tcp-max-connections\" must be at least 1");
        if (notifyRatePerSource < 0) throw new IllegalArgumentException("\"notify-rate-per-source\" must be 0 or more");
        if (soaQueriesPerSecond < 1) throw new IllegalArgumentException("\"soa-queries-per-second\" must be at least 1");
        if (soaMaxInFlight < 1) throw new IllegalArgumentException("\"soa-max-in-flight\" must be at least 1");
        if (hookWorkers < 1) throw new IllegalArgumentException("\"hook-workers\" must be at least 1");
        net.dnsoops.ops.LogLayout.parse(logFormat);
        if (site == null || site.isBlank() || !site.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("\"site\" must be a non-empty name of letters, digits, '.', '_' and '-'"
                    + " (it becomes an MQTT topic level)");
        }
        if (routeActuators() && services.isEmpty()) {
            throw new IllegalArgumentException("a route actuator is configured but \"services\" is empty");
        }
        // Conditions name a stats server by its "name", and services pick servers by it: one each.
        java.util.Set<String> statsNames = new java.util.HashSet<>();
        for (net.dnsoops.input.stats.StatsConfig st : stats) {
            if (!statsNames.add(st.serverName())) {
                throw new IllegalArgumentException("two \"stats\" entries are named \"" + st.serverName()
                        + "\"; give each its own \"name\"");
            }
        }
        // "services" against "zones" is checked by the loader once keys are known (serviceSettings()).
        // Conditions, and a reload's diff, know an issue-10 entry by its name: one name, one entry.
        unique("probe", probe.stream().map(p -> p.serverName()).toList());
        unique("stats", stats.stream().map(s -> s.serverName()).toList());
        unique("server-zones", serverZones.stream().map(s -> s.serverName()).toList());
        unique("dnssec", dnssec.stream().flatMap(d -> d.zones.stream().map(z -> d.serverName() + " zone " + z)).toList());
        // "verify" zones: one entry each, checked by the loader with the zones (checkVerifyZones).
    }

    private static void unique(String section, List<String> names) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String n : names) {
            if (!seen.add(n)) {
                throw new IllegalArgumentException("\"" + section + "\": " + n + " is configured twice"
                        + " (give each entry its own \"name\")");
            }
        }
    }

    /** True if any actuator that announces routes is configured. */
    public boolean routeActuators() {
        return bird != null || exabgp != null || command != null;
    }

    /** Each "stats" server by name (the conditions' source) with the conditions it can raise. */
    public Map<String, java.util.Set<net.dnsoops.core.ConditionType>> statsServers() {
        Map<String, java.util.Set<net.dnsoops.core.ConditionType>> m = new LinkedHashMap<>();
        for (net.dnsoops.input.stats.StatsConfig s : stats) {
            m.computeIfAbsent(s.serverName(), k -> java.util.EnumSet.noneOf(net.dnsoops.core.ConditionType.class))
                    .addAll(s.raises());
        }
        return m;
    }

    /** Every service resolved against the zones: concrete zone names and prefixes. */
    public List<ServiceSettings> serviceSettings() {
        return ServiceResolver.resolve(services, zoneSettings());
    }

    /**
     * Every zone's settings, resolved against "defaults" and the built-in defaults. Resolved once
     * and kept: the loader, each route actuator, capture and the core all ask, and with a million
     * zones each resolution costs a second.
     */
    public synchronized List<ZoneSettings> zoneSettings() {
        if (resolvedZones == null) {
            ZoneConfig d = defaults.overlay(ZoneConfig.BUILTIN);
            List<ZoneSettings> out = new ArrayList<>(zones.size());
            Map<Object, Object> shared = new HashMap<>(); // equal timers and field maps: one instance
            zones.forEach((name, z) -> out.add(z.resolve(name, d, keyRing, shared)));
            resolvedZones = List.copyOf(out);
        }
        return resolvedZones;
    }
}
