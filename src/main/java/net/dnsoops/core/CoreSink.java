package net.dnsoops.core;

import java.net.InetAddress;
import org.xbill.DNS.Name;

/** What inputs may tell the core. Every method is thread-safe and returns at once. */
public interface CoreSink {
    /**
     * Decides from the current config whether a NOTIFY is admitted; changes no state.
     * {@code verifiedKey}: the TSIG key the request was validly signed with, or null.
     */
    Admission admitNotify(Name zone, InetAddress source, Name verifiedKey);

    /** An admitted NOTIFY arrived: check the zone's SOA (coalesced with any check in flight). */
    void notifyReceived(Name zone, InetAddress source, String transport);

    /**
     * A name server said it started ({@code up}) or stopped, e.g. Knot's D-Bus {@code started} and
     * {@code stopped}; becomes a server-up or server-down condition. Added for the Knot D-Bus listener;
     * a default so that test doubles need not know it.
     */
    default void serverEvent(String server, boolean up, String detail) {
        throw new UnsupportedOperationException("serverEvent is not supported by " + getClass().getName());
    }

    /**
     * A trusted input reported a zone's serial (Knot's D-Bus {@code zone_updated} when the config says
     * to trust it): committed like a successful SOA check without querying. Added for the Knot D-Bus
     * listener; the NOTIFY path never uses it. A default so that test doubles need not know it.
     */
    default void serialAnnounced(Name zone, long serial, String source) {
        throw new UnsupportedOperationException("serialAnnounced is not supported by " + getClass().getName());
    }

    /** A check requested through {@link CheckRequester} finished. */
    void checkFinished(CheckResult result);
}
