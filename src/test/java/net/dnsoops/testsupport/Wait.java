package net.dnsoops.testsupport;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls a condition with a hard time limit: every wait in a test is bounded. */
public final class Wait {
    private Wait() {
    }

    public static void until(String what, Duration limit, BooleanSupplier ok) {
        long end = System.nanoTime() + limit.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < end) {
            try {
                if (ok.getAsBoolean()) return;
                last = null;
            } catch (RuntimeException e) {
                last = e; // e.g. the socket is not there yet
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
        throw new AssertionError("timed out after " + limit.toMillis() + " ms waiting for " + what
                + (last == null ? "" : " (last error: " + last + ")"));
    }
}
