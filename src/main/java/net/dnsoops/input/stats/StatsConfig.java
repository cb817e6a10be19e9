package net.dnsoops.input.stats;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import net.dnsoops.config.Validated;
import net.dnsoops.core.ConditionType;
import net.dnsoops.input.ControlCommand;

/**
 * One entry of "stats": a name server whose own query counters are read to raise
 * query-rate-high / query-rate-rising. Field initialisers are the defaults; see docs/stats.md.
 */
public final class StatsConfig implements Validated {
    /** Which server's statistics: "nsd" (nsd-control stats_noreset), "knot" (knotc stats, needs mod-stats), "bind" (statistics channel JSON). */
    public String server;
    /**
     * Where to read: nsd: the nsd.conf for {@code nsd-control -c} (null: nsd-control's default);
     * knot: the control socket for {@code knotc -s} (null: knotc's default); bind: the statistics
     * channel's base URL, e.g. "http://127.0.0.1:8053" (required).
     */
    public String control;
    /** How conditions name the server (their "source"); default: the server kind. */
    public String name;
    /** Time between two readings; the rate is (queries now − queries then) / interval. */
    public Duration interval = Duration.ofSeconds(10);
    /** query-rate-high while the rate is at least this (queries/s); cleared below 90% of it. 0: off. */
    public double rateHigh = 0;
    /** query-rate-rising while the rate grew by at least this (queries/s) since the previous interval. 0: off. */
    public double rateRising = 0;
    /** Reading the counters (command or HTTP) must finish within this. */
    public Duration timeout = Duration.ofSeconds(5);

    @Override
    public void validate() {
        ControlCommand.checkServer(server, control);
        if (interval.isZero() || interval.isNegative()) throw new IllegalArgumentException("\"interval\" must be positive");
        if (rateHigh < 0 || rateRising < 0) throw new IllegalArgumentException("\"rate-high\" and \"rate-rising\" must be 0 or more");
        if (rateHigh == 0 && rateRising == 0) {
            throw new IllegalArgumentException("set \"rate-high\" or \"rate-rising\" (queries/s), or leave this server out");
        }
    }

    /** The conditions this server can raise: those whose threshold is set. */
    public Set<ConditionType> raises() {
        Set<ConditionType> r = EnumSet.noneOf(ConditionType.class);
        if (rateHigh > 0) r.add(ConditionType.QUERY_RATE_HIGH);
        if (rateRising > 0) r.add(ConditionType.QUERY_RATE_RISING);
        return r;
    }

    public String serverName() {
        return name != null && !name.isBlank() ? name : server;
    }
}
