package net.dnsoops.daemon;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.dnsoops.config.ConfigDiff;
import net.dnsoops.config.DnsOopsConfig;
import net.dnsoops.core.CoreSink;
import net.dnsoops.core.Input;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a reload does to the optional inputs of {@link ComponentRegistry#INPUTS}: a running input
 * whose entry can be reconfigured takes its new section in place (probe, dnssec, stats, verify
 * keep the state of what stays); one whose section is now empty is closed; one newly configured
 * is built and started. Two steps, so that a reload that fails fails before it changed anything:
 * {@link #prepare} builds every new input (nothing started), {@link #apply} then changes the
 * running set.
 */
final class InputReload {
    private static final Logger log = LoggerFactory.getLogger(InputReload.class);

    private final Map<ComponentRegistry.InputEntry, Input> running;
    private final Map<ComponentRegistry.InputEntry, Input> fresh;
    private final DnsOopsConfig next;

    private InputReload(Map<ComponentRegistry.InputEntry, Input> running, Map<ComponentRegistry.InputEntry, Input> fresh,
                        DnsOopsConfig next) {
        this.running = running;
        this.fresh = fresh;
        this.next = next;
    }

    /**
     * Matches the running inputs to their registry entries and builds the inputs that
     * {@code next} newly enables. Throws (and builds nothing lasting) if one cannot be built.
     */
    static InputReload prepare(List<Input> inputs, DnsOopsConfig previous, DnsOopsConfig next,
                               ComponentRegistry.Context context) {
        Map<ComponentRegistry.InputEntry, Input> running = new LinkedHashMap<>();
        Map<ComponentRegistry.InputEntry, Input> fresh = new LinkedHashMap<>();
        for (ComponentRegistry.InputEntry e : ComponentRegistry.INPUTS) {
            Input now = inputs.stream().filter(in -> in.name().equals(e.key())).findFirst().orElse(null);
            if (e.reconfigure() == null) {
                if (!sameSection(e.key(), previous, next)) {
                    log.warn("reload: the \"{}\" section changed; restart dns-oops to apply it", e.key());
                }
                continue;
            }
            if (now != null) running.put(e, now);
            else e.factory().apply(next, context).ifPresent(in -> fresh.put(e, in));
        }
        return new InputReload(running, fresh, next);
    }

    /** Reconfigures, closes and starts inputs; returns the inputs running afterwards. */
    List<Input> apply(List<Input> inputs, CoreSink core) {
        List<Input> out = new ArrayList<>(inputs);
        running.forEach((entry, in) -> {
            if (!entry.reconfigure().apply(in, next)) {
                in.close();
                out.remove(in);
                log.info("reload: input {} closed (its section is empty now)", in.name());
            }
        });
        fresh.forEach((entry, in) -> {
            try {
                in.start(core);
                out.add(in);
                log.info("reload: input {} started", in.name());
            } catch (Exception e) {
                // As for an actuator: one input that cannot start does not take the bridge down.
                log.error("reload: input {} failed to start: {}", in.name(), e.toString());
                in.close();
            }
        });
        return out;
    }

    /** Whether the config's section for a non-reloadable input is unchanged. */
    private static boolean sameSection(String key, DnsOopsConfig a, DnsOopsConfig b) {
        return switch (key) {
            case "knot-dbus" -> a.knotDbus == null ? b.knotDbus == null : ConfigDiff.sameSettings(a.knotDbus, b.knotDbus);
            default -> true; // nothing known to compare: say nothing rather than warn on every reload
        };
    }
}
