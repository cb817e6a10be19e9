package net.dnsoops.daemon;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import net.dnsoops.actuator.hook.HookActuator;
import net.dnsoops.actuator.log.LogActuator;
import java.util.HashMap;
import java.util.Map;
import net.dnsoops.config.ConfigValues;
import net.dnsoops.config.DnsOopsConfig;
import net.dnsoops.input.dnssec.DnssecConfig;
import net.dnsoops.input.dnssec.DnssecInput;
import net.dnsoops.input.probe.ProbeInput;
import net.dnsoops.input.stats.StatsInput;
import net.dnsoops.input.verify.VerifyConfig;
import net.dnsoops.input.verify.VerifyInput;
import java.time.Clock;
import org.xbill.DNS.TSIG;
import net.dnsoops.core.Actuator;
import net.dnsoops.core.Input;
import net.dnsoops.core.StateView;

/**
 * Every optional input and every actuator dns-oops has, by config key, in one explicit table
 * (no classpath scanning). Adding a component is one line here plus its package under
 * {@code input/} or {@code actuator/}. The NOTIFY listener and the SOA poller are always on and
 * wired by {@link Daemon}.
 */
public final class ComponentRegistry {
    /** What a component may be given besides its config: a read-only view of the state. */
    public record Context(StateView state) {
    }

    public record ActuatorEntry(String key, BiFunction<DnsOopsConfig, Context, Optional<Actuator>> factory) {
    }

    public record InputEntry(String key, BiFunction<DnsOopsConfig, Context, Optional<Input>> factory) {
    }

    public static final List<ActuatorEntry> ACTUATORS = List.of(
            new ActuatorEntry("log", (c, ctx) -> Optional.of(new LogActuator())),
            new ActuatorEntry("hooks", (c, ctx) -> c.hooks.isEmpty() ? Optional.empty()
                    : Optional.of(new HookActuator(c.hooks, c.hookWorkers))));

    public static final List<InputEntry> INPUTS = List.of(
            new InputEntry("probe", (c, ctx) -> c.probe.isEmpty() ? Optional.empty()
                    : Optional.of(new ProbeInput(c.probe))),
            new InputEntry("dnssec", (c, ctx) -> c.dnssec.isEmpty() ? Optional.empty()
                    : Optional.of(new DnssecInput(c.dnssec, dnssecKeys(c)))),
            new InputEntry("stats", (c, ctx) -> c.stats.isEmpty() ? Optional.empty()
                    : Optional.of(new StatsInput(c.stats))),
            new InputEntry("verify", (c, ctx) -> c.verify.isEmpty() ? Optional.empty()
                    : Optional.of(new VerifyInput(c.verify, verifyKeys(c), Clock.systemUTC()))));

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
