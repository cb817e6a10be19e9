package net.dnsoops.actuator.hook;

import java.time.Duration;
import java.util.List;
import net.dnsoops.config.Validated;

/**
 * One entry of the config's "hooks" list: run {@code command} (an argv template) when a
 * condition in {@code on} occurs. Defaults are the field initialisers.
 */
public final class HookConfig implements Validated {
    /** Conditions that fire the hook: "zone-updated", "zone-ready:cleared", "zone-expired:any". */
    public List<HookTrigger> on = List.of();
    /**
     * The argv template. A single element (just the program) gets nsnotifyd's arguments
     * {zone} {serial} {source} appended.
     */
    public List<String> command = List.of();
    /** Only for these zones (names); empty: every zone. */
    public List<String> zones = List.of();
    /** Only for these services; empty: every service. */
    public List<String> services = List.of();
    /** Only "ede" conditions with these Extended DNS Error codes (RFC 8914), e.g. [18, 22]; empty: every code. Other conditions are not affected. */
    public List<Integer> edeCodes = List.of();
    /** Kill the command (and its process group) after this long. */
    public Duration timeout = Duration.ofSeconds(30);
    /** Re-runs after a non-zero exit or a timeout. */
    public int retries = 3;
    /** First wait before a re-run; doubles each time up to max-backoff. */
    public Duration retryBackoff = Duration.ofSeconds(1);
    /**
     * Longest wait between re-runs. Hooks of a zone run in order, so an uncapped doubling would
     * hold that zone's later conditions back for days with many retries.
     */
    public Duration maxBackoff = Duration.ofMinutes(1);
    /**
     * 1: one run per condition (nsnotifyd's model). Above 1: up to this many conditions per run,
     * as JSON lines on the command's stdin (see docs/hook.md).
     */
    public int batchSize = 1;
    /** How long a batch waits for more conditions after its first one before it runs anyway. */
    public Duration batchWait = Duration.ofMillis(100);

    static final List<String> NSNOTIFYD_ARGS = List.of("{zone}", "{serial}", "{source}");

    /** The wait before re-run {@code attempt + 1}: retry-backoff doubled per attempt, at most max-backoff. */
    public Duration retryWait(int attempt) {
        Duration wait = retryBackoff;
        for (int i = 0; i < attempt && wait.compareTo(maxBackoff) < 0; i++) wait = wait.multipliedBy(2);
        return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
    }

    public boolean batched() {
        return batchSize > 1;
    }

    /** The argv template as run: nsnotifyd's arguments appended to a bare program (not when batched). */
    public List<String> argvTemplate() {
        if (command.size() == 1 && !batched()) {
            return java.util.stream.Stream.concat(command.stream(), NSNOTIFYD_ARGS.stream()).toList();
        }
        return command;
    }

    @Override
    public void validate() {
        if (on.isEmpty()) throw new IllegalArgumentException("\"on\" must list at least one condition");
        if (command.isEmpty()) throw new IllegalArgumentException("\"command\" must name a program");
        if (retries < 0) throw new IllegalArgumentException("\"retries\" must be 0 or more");
        if (timeout.isZero() || timeout.isNegative()) throw new IllegalArgumentException("\"timeout\" must be positive");
        if (retryBackoff.isNegative()) throw new IllegalArgumentException("\"retry-backoff\" must not be negative");
        if (maxBackoff.compareTo(retryBackoff) < 0) {
            throw new IllegalArgumentException("\"max-backoff\" must be at least \"retry-backoff\"");
        }
        if (batchSize < 1) throw new IllegalArgumentException("\"batch-size\" must be at least 1");
        if (batchWait.isNegative()) throw new IllegalArgumentException("\"batch-wait\" must not be negative");
        EdeCodeFilter.validate(edeCodes, on);
    }
}
