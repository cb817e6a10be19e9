package net.dnsoops.daemon;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import net.dnsoops.actuator.hook.HookActuator;
import net.dnsoops.actuator.log.LogActuator;
import net.dnsoops.config.DnsOopsConfig;
import net.dnsoops.core.Actuator;

/**
 * Every actuator dns-oops has, by config key, in one explicit table (no classpath scanning).
 * Adding an actuator is one line here plus its package under {@code actuator/}.
 */
public final class ComponentRegistry {
    /** A config key and how to build its actuator when the config asks for it. */
    public record ActuatorEntry(String key, Function<DnsOopsConfig, Optional<Actuator>> factory) {
    }

    public static final List<ActuatorEntry> ACTUATORS = List.of(
            new ActuatorEntry("log", c -> Optional.of(new LogActuator())),
            new ActuatorEntry("hooks", c -> c.hooks.isEmpty() ? Optional.empty()
                    : Optional.of(new HookActuator(c.hooks, c.hookWorkers))));

    private ComponentRegistry() {
    }

    /** The actuators this config enables, in table order. */
    public static List<Actuator> actuators(DnsOopsConfig config) {
        List<Actuator> out = new ArrayList<>();
        for (ActuatorEntry e : ACTUATORS) e.factory().apply(config).ifPresent(out::add);
        return out;
    }
}
