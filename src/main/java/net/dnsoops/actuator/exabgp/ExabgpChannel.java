package net.dnsoops.actuator.exabgp;

import java.io.IOException;

/** A way to give ExaBGP one API command and get its answer. */
interface ExabgpChannel {
    /** Sends one command; returns normally on "done", throws on "error", timeout or a broken channel. */
    void send(String command) throws IOException;

    /** True once ExaBGP is known to be gone for good (process mode: our stdin closed). */
    default boolean gone() {
        return false;
    }

    /** Forget any half-finished exchange (after a failure). */
    default void reset() {
    }
}
