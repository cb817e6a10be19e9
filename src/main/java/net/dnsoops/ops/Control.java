package net.dnsoops.ops;

import org.xbill.DNS.Name;

/**
 * What the HTTP API and the CLI may ask the running daemon to do. The daemon provides it
 * ({@code Daemon.control()}); the ops package never reaches into components itself.
 */
public interface Control {
    /**
     * Re-reads the config file like SIGHUP.
     *
     * @throws IllegalArgumentException with the reason when the new config was rejected (old one kept)
     */
    void reload();

    /** Checks the zone's SOA now (coalesced like a NOTIFY); false if the zone is not configured. */
    boolean refreshZone(Name zone);

    /**
     * Withdraws every route and holds them withdrawn (maintenance): the daemon writes its
     * drain-file and raises {@code draining}, as the control socket's "drain" does. An
     * implementation without it throws {@link UnsupportedOperationException} (HTTP 501).
     *
     * @return a short human-readable result
     * @throws IllegalStateException with the reason when it could not be done (drain-file not writable)
     */
    default String drain() {
        throw new UnsupportedOperationException("drain is not available in this build");
    }

    /** Undoes {@link #drain()}; same availability. */
    default String undrain() {
        throw new UnsupportedOperationException("undrain is not available in this build");
    }
}
