package net.dnsoops.actuator.hook;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import net.dnsoops.actuator.ConditionDocument;
import net.dnsoops.core.Condition;

/**
 * Collects the conditions of one batching hook ({@code batch-size} above 1) until the batch is
 * full or {@code batch-wait} has passed since its first condition, then hands them over as one
 * run. A registry restarting with 100,000 changed zones then costs a few hundred processes, not
 * 100,000; nsnotifyd can only run one per zone.
 */
final class HookBatch {
    private final HookConfig hook;
    private final ScheduledExecutorService timer;
    private final Consumer<List<Condition>> run;
    private List<Condition> open = new ArrayList<>();
    private ScheduledFuture<?> deadline;

    HookBatch(HookConfig hook, ScheduledExecutorService timer, Consumer<List<Condition>> run) {
        this.hook = hook;
        this.timer = timer;
        this.run = run;
    }

    synchronized void add(Condition c) {
        open.add(c);
        if (open.size() >= hook.batchSize) {
            flushLocked();
        } else if (open.size() == 1) {
            deadline = timer.schedule(this::flush, hook.batchWait.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /** Conditions collected and not yet handed over. */
    synchronized int size() {
        return open.size();
    }

    synchronized void flush() {
        flushLocked();
    }

    private void flushLocked() {
        if (deadline != null) deadline.cancel(false);
        deadline = null;
        if (open.isEmpty()) return;
        List<Condition> batch = open;
        open = new ArrayList<>();
        run.accept(batch); // only queues: runs of one hook happen one after another, in order
    }

    /** The batch as the command reads it on stdin: one JSON condition document per line. */
    static byte[] stdin(List<Condition> batch, String site) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(batch.size() * 256);
        for (Condition c : batch) {
            out.writeBytes(ConditionDocument.bytes(ConditionDocument.of(c, site)));
            out.write('\n');
        }
        return out.toByteArray();
    }
}
