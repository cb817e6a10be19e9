package net.dnsoops.daemon;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.time.Clock;
import net.dnsoops.actuator.bird.BirdActuator;
import net.dnsoops.actuator.command.CommandActuator;
import net.dnsoops.actuator.exabgp.ExabgpActuator;
import net.dnsoops.actuator.dbus.DbusActuator;
import net.dnsoops.actuator.hook.HookActuator;
import net.dnsoops.actuator.log.LogActuator;
import java.util.HashMap;
import java.util.Map;
import net.dnsoops.config.ConfigValues;
import net.dnsoops.actuator.mqtt.MqttActuator;
import net.dnsoops.actuator.relay.RelayActuator;
import net.dnsoops.actuator.webhook.WebhookActuator;
import net.dnsoops.config.DnsOopsConfig;
import net.dnsoops.input.dnssec.DnssecConfig;
import net.dnsoops.input.dnssec.DnssecInput;
import net.dnsoops.input.probe.ProbeInput;
import net.dnsoops.input.serverzones.ServerZonesInput;
import net.dnsoops.input.stats.StatsInput;
import net.dnsoops.input.verify.VerifyConfig;
import net.dnsoops.input.verify.VerifyInput;
import org.xbill.DNS.TSIG;
import net.dnsoops.core.Actuator;
import net.dnsoops.core.Input;
import net.dnsoops.core.StateView;
import net.dnsoops.ops.Control;
import net.dnsoops.input.knotdbus.KnotDbusListener;

/**
 * Every optional input and every actuator dns-oops has, by config key, in one explicit table
 * (no classpath scanning). Adding a component is one line here plus its package under
 * {@code input/} or {@code actuator/}. The NOTIFY listener and the SOA poller are always on and
 * wired by {@link Daemon}.
 */
public final class ComponentRegistry {
    /**
     * What a component may be given besides its config: a read-only view of the state, and the
     * daemon's operator controls ({@code Daemon.control()}: reload, refresh, drain) for remote
     * control channels such as the MQTT control topic, and the daemon's clock (the one the core
     * uses), so that every part of one daemon tells the same time.
     */
    public record Context(StateView state, Control control, Clock clock) {
    }

    public record ActuatorEntry(String key, BiFunction<DnsOopsConfig, Context, Optional<Actuator>> factory) {
    }

    /**
     * How a reload reaches a running input: it applies its section of {@code next} in place,
     * keeping the state that still applies, and returns false if that section is now empty (the
     * daemon then closes the input).
     */
    @FunctionalInterface
    public interface Reconfigurer {
        boolean apply(Input running, DnsOopsConfig next);
    }

    /** {@code reconfigure}: null for an input a reload does not change (a restart applies its section). */
    public record InputEntry(String key, BiFunction<DnsOopsConfig, Context, Optional<Input>> factory,
                             Reconfigurer reconfigure) {
    }

    public static final List<ActuatorEntry> ACTUATORS = List.of(
            new ActuatorEntry("log", (c, ctx) -> Optional.of(new LogActuator())),
            new ActuatorEntry("hooks", (c, ctx) -> c.hooks.isEmpty() ? Optional.empty()
                    : Optional.of(new HookActuator(c.hooks, c.hookWorkers, c.site))),
            new ActuatorEntry("bird", (c, ctx) -> Optional.ofNullable(c.bird)
                    .map(b -> new BirdActuator(b, c.serviceSettings(), ctx.state(), ctx.clock()))),
            new ActuatorEntry("exabgp", (c, ctx) -> Optional.ofNullable(c.exabgp)
                    .map(e -> new ExabgpActuator(e, c.serviceSettings(), ctx.state(), ctx.clock()))),
            new ActuatorEntry("command", (c, ctx) -> Optional.ofNullable(c.command)
                    .map(k -> new CommandActuator(k, c.serviceSettings(), ctx.state(), ctx.clock()))),
            new ActuatorEntry("dbus", (c, ctx) -> Optional.ofNullable(c.dbus).map(d -> new DbusActuator(d, ctx.state()))),
            new ActuatorEntry("webhook", (c, ctx) -> c.webhook.enabled()
                    ? Optional.of(new WebhookActuator(c.webhook, c.site)) : Optional.empty()),
            new ActuatorEntry("mqtt", (c, ctx) -> c.mqtt.enabled()
                    ? Optional.of(new MqttActuator(c.mqtt, c.site, ctx.control(), ctx.clock())) : Optional.empty()),
            new ActuatorEntry("relay", (c, ctx) -> c.relay.enabled()
                    ? Optional.of(new RelayActuator(c.relay, c.keyRing())) : Optional.empty()));

    public static final List<InputEntry> INPUTS = List.of(
            new InputEntry("probe", (c, ctx) -> c.probe.isEmpty() ? Optional.empty()
                    : Optional.of(new ProbeInput(c.probe)),
                    (in, c) -> ((ProbeInput) in).reconfigure(c.probe)),
            new InputEntry("dnssec", (c, ctx) -> c.dnssec.isEmpty() ? Optional.empty()
                    : Optional.of(new DnssecInput(c.dnssec, dnssecKeys(c))),
                    (in, c) -> ((DnssecInput) in).reconfigure(c.dnssec, dnssecKeys(c))),
            new InputEntry("stats", (c, ctx) -> c.stats.isEmpty() ? Optional.empty()
                    : Optional.of(new StatsInput(c.stats)),
                    (in, c) -> ((StatsInput) in).reconfigure(c.stats)),
            new InputEntry("verify", (c, ctx) -> c.verify.isEmpty() ? Optional.empty()
                    : Optional.of(new VerifyInput(c.verify, verifyKeys(c), ctx.clock())),
                    (in, c) -> ((VerifyInput) in).reconfigure(c.verify, verifyKeys(c))),
            new InputEntry("server-zones", (c, ctx) -> c.serverZones.isEmpty() ? Optional.empty()
                    : Optional.of(new ServerZonesInput(c.serverZones, ctx.clock())),
                    (in, c) -> ((ServerZonesInput) in).reconfigure(c.serverZones)),
            new InputEntry("knot-dbus", (c, ctx) -> Optional.ofNullable(c.knotDbus).map(KnotDbusListener::new), null));

    /** The TSIG key each "verify" entry names for its transfers. */
    private static Map<VerifyConfig, TSIG> verifyKeys(DnsOopsConfig c) {
        Map<VerifyConfig, TSIG> out = new HashMap<>();
        for (VerifyConfig v : c.verify) {
            if (v.key == null) continue;
            TSIG k = c.keyRing().get(ConfigValues.zoneName(v.key));
            if (k == null) throw new IllegalArgumentException("verify: unknown key \"" + v.key + "\"");
            out.put(v, k);
        }
        return out;
    }

    /** The TSIG key each "dnssec" entry names for its transfers. */
    private static Map<DnssecConfig, TSIG> dnssecKeys(DnsOopsConfig c) {
        Map<DnssecConfig, TSIG> out = new HashMap<>();
        for (DnssecConfig d : c.dnssec) {
            if (d.key == null) continue;
            TSIG k = c.keyRing().get(ConfigValues.zoneName(d.key));
            if (k == null) throw new IllegalArgumentException("dnssec: unknown key \"" + d.key + "\"");
            out.put(d, k);
        }
        return out;
    }

    private ComponentRegistry() {
    }

    /** The actuators this config enables, in table order. */
    public static List<Actuator> actuators(DnsOopsConfig config, Context ctx) {
        List<Actuator> out = new ArrayList<>();
        for (ActuatorEntry e : ACTUATORS) e.factory().apply(config, ctx).ifPresent(out::add);
        return out;
    }

    /** The optional inputs this config enables, in table order. */
    public static List<Input> inputs(DnsOopsConfig config, Context ctx) {
        List<Input> out = new ArrayList<>();
        for (InputEntry e : INPUTS) e.factory().apply(config, ctx).ifPresent(out::add);
        return out;
    }
}
