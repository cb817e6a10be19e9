package net.dnsoops.testsupport;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polls a condition until it holds or a deadline passes; the failure says what was awaited. */
public final class Eventually {
    private Eventually() {
    }

    public static void await(Duration limit, String what, BooleanSupplier condition) {
        long end = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) return;
            sleep(20);
        }
        if (!condition.getAsBoolean()) throw new AssertionError("timed out after " + limit.toMillis() + " ms waiting for " + what);
    }

    public static void await(Duration limit, String what, BooleanSupplier condition, Supplier<String> context) {
        try {
            await(limit, what, condition);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + context.get(), e);
        }
    }

    /**
     * Like {@link #await}, but a check that throws (e.g. a socket not there yet) counts as "not
     * yet"; the last such error is named if time runs out.
     */
    public static void until(String what, Duration limit, BooleanSupplier ok) {
        long end = System.nanoTime() + limit.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < end) {
            try {
                if (ok.getAsBoolean()) return;
                last = null;
            } catch (RuntimeException e) {
                last = e;
            }
            sleep(2);
        }
        throw new AssertionError("timed out after " + limit.toMillis() + " ms waiting for " + what
                + (last == null ? "" : " (last error: " + last + ")"));
    }

    public static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
