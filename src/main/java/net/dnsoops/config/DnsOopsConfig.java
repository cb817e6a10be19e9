package net.dnsoops.config;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.dnsoops.actuator.hook.HookConfig;
import net.dnsoops.core.ZoneSettings;
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
    public Map<Name, ZoneConfig> zones = new LinkedHashMap<>();
    /** Command hooks. */
    public List<HookConfig> hooks = List.of();
    /** How many hook commands may run at once (per-zone order is kept). */
    public int hookWorkers = 4;
    /** Where zone state survives restarts (serial, last success, expiry); null: not kept. */
    public String stateFile;
    /** How often changed state is written to {@link #stateFile}. */
    public Duration stateSaveInterval = Duration.ofSeconds(1);
    /** TSIG keys by name; more may come from {@link #keysFile}. */
    public Map<String, TsigKeyConfig> keys = new LinkedHashMap<>();
    /** A JSON file {"key-name": {"algorithm": ..., "secret": ...}} readable only by the service user. */
    public String keysFile;
    /** hmac-md5 is broken; keys using it are refused unless this is set. */
    public boolean allowHmacMd5 = false;

    /** Issue 10: local name servers whose health decides service readiness (input/probe, docs/probe.md). */
    public List<net.dnsoops.input.probe.ProbeConfig> probe = List.of();
    /** Issue 10: signed zones whose RRSIG expirations are watched (input/dnssec, docs/dnssec.md). */
    public List<net.dnsoops.input.dnssec.DnssecConfig> dnssec = List.of();
    /** Issue 10: servers whose query counters are read for rate thresholds (input/stats, docs/stats.md). */
    public List<net.dnsoops.input.stats.StatsConfig> stats = List.of();
    /** Issue 10: zones transferred and checked (ZONEMD, DNSSEC) on every new serial (input/verify, docs/verify.md). */
    public List<net.dnsoops.input.verify.VerifyConfig> verify = List.of();

    /** Keys from "keys" and "keys-file", set by the loader once both are read. */
    private TsigKeys keyRing = TsigKeys.NONE;

    void keyRing(TsigKeys ring) {
        this.keyRing = ring;
    }

    public TsigKeys keyRing() {
        return keyRing;
    }

    @Override
    public void validate() {
        if (listen.isEmpty()) throw new IllegalArgumentException("\"listen\" must name at least one address@port");
        if (tcpMaxConnections < 1) throw new IllegalArgumentException("\"tcp-max-connections\" must be at least 1");
        if (notifyRatePerSource < 0) throw new IllegalArgumentException("\"notify-rate-per-source\" must be 0 or more");
        if (soaQueriesPerSecond < 1) throw new IllegalArgumentException("\"soa-queries-per-second\" must be at least 1");
        if (soaMaxInFlight < 1) throw new IllegalArgumentException("\"soa-max-in-flight\" must be at least 1");
        if (hookWorkers < 1) throw new IllegalArgumentException("\"hook-workers\" must be at least 1");
    }

    /** Every zone's settings, resolved against "defaults" and the built-in defaults. */
    public List<ZoneSettings> zoneSettings() {
        ZoneConfig d = defaults.overlay(ZoneConfig.BUILTIN);
        List<ZoneSettings> out = new ArrayList<>(zones.size());
        Map<Object, Object> shared = new HashMap<>(); // equal timers and field maps: one instance
        zones.forEach((name, z) -> out.add(z.resolve(name, d, keyRing, shared)));
        return out;
    }
}
