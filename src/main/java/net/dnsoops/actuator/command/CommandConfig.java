package net.dnsoops.actuator.command;

import java.time.Duration;
import java.util.List;
import net.dnsoops.actuator.hook.CommandTemplate;
import net.dnsoops.config.Validated;

/**
 * The config's "command" section: announce and withdraw each prefix by running a program, for
 * routing daemons without a dedicated actuator (GoBGP's "gobgp global rib add|del", FRR's
 * "vtysh ... network"). argv templates, never a shell. Defaults are the field initialisers.
 */
public final class CommandConfig implements Validated {
    /** Variables the templates may use. */
    public static final List<String> VARIABLES = List.of("prefix", "address", "length", "family", "service", "med",
            "communities", "as-path-prepend");

    /** Run to announce one prefix (also to change its attributes); must be idempotent. */
    public List<String> announce = List.of();
    /** Run to withdraw one prefix; must succeed when the prefix is not announced. */
    public List<String> withdraw = List.of();
    /** Kill a command (and its children) after this long; it then counts as failed. */
    public Duration timeout = Duration.ofSeconds(10);
    /**
     * Run "announce" for every desired prefix and "withdraw" for every other configured one this
     * often, to repair a restarted routing daemon; 0: never.
     */
    public Duration resync = Duration.ofSeconds(60);
    /** At shutdown, wait this long for the withdraw commands to succeed. */
    public Duration stopTimeout = Duration.ofSeconds(10);

    @Override
    public void validate() {
        if (announce.isEmpty()) throw new IllegalArgumentException("\"announce\" must name a program");
        if (withdraw.isEmpty()) throw new IllegalArgumentException("\"withdraw\" must name a program");
        for (List<String> t : List.of(announce, withdraw)) {
            for (String v : CommandTemplate.referenced(t)) {
                if (!VARIABLES.contains(v)) {
                    throw new IllegalArgumentException("unknown variable {" + v + "}; known: " + String.join(", ", VARIABLES));
                }
            }
        }
        if (timeout.isZero() || timeout.isNegative()) throw new IllegalArgumentException("\"timeout\" must be positive");
        if (resync.isNegative()) throw new IllegalArgumentException("\"resync\" must not be negative");
    }
}
