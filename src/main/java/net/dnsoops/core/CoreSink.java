package net.dnsoops.core;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

    /**
     * Issue 10: a probed name server went up or down (its probe's rise/fall already applied):
     * server-up/server-down, and the services it serves ({@code services}; empty: all) are not
     * ready while it is down. A default so that test doubles need not know it.
     */
    default void serverHealth(String server, boolean up, Set<String> services, String detail) {
        throw new UnsupportedOperationException("serverHealth is not supported by " + getClass().getName());
    }

    /** Issue 10: the signed RRsets one DNSSEC check of {@code zone} saw, with their latest RRSIG expiration. */
    default void signatures(String server, Name zone, List<SignatureExpiry> seen, Duration warning) {
        throw new UnsupportedOperationException("signatures is not supported by " + getClass().getName());
    }

    /** Issue 10: a server's query rate and its increase (queries/s) from its own statistics; thresholds &lt;= 0 are off. */
    default void queryRate(String server, double rate, double increase, double high, double rising) {
        throw new UnsupportedOperationException("queryRate is not supported by " + getClass().getName());
    }

    /**
     * Issue 10: the Extended DNS Errors (code → text, empty: none) one answer from {@code server}
     * carried; zone may be null. {@code via} names the input whose query it answered ("probe",
     * "soa-check"): each input's answers raise and clear only their own codes.
     */
    default void extendedErrors(String via, String server, Name zone, Map<Integer, String> codes) {
        throw new UnsupportedOperationException("extendedErrors is not supported by " + getClass().getName());
    }

    /**
     * Issue 10: the verify input offers to verify {@code zones}; the core asks it through
     * {@code verifier} when such a zone becomes ready or its serial changes. With {@code gate},
     * the zones' services are not ready until the zone's current content verified.
     */
    default void registerVerifier(Set<Name> zones, boolean gate, VerifyRequester verifier) {
        throw new UnsupportedOperationException("registerVerifier is not supported by " + getClass().getName());
    }

    /** Issue 10: a verification requested through {@link VerifyRequester} finished. */
    default void verifyFinished(Name zone, long serial, boolean valid, String detail) {
        throw new UnsupportedOperationException("verifyFinished is not supported by " + getClass().getName());
    }

    /**
     * Reload: the probe of {@code server} was removed from the config. A server-down it said no
     * longer holds its services back (server-down is cleared), and its EDE conditions are cleared.
     */
    default void probeRemoved(String server) {
        throw new UnsupportedOperationException("probeRemoved is not supported by " + getClass().getName());
    }

    /** Reload: the "stats" entry of {@code server} was removed; its query-rate conditions are cleared. */
    default void statsRemoved(String server) {
        throw new UnsupportedOperationException("statsRemoved is not supported by " + getClass().getName());
    }

    /** Reload: {@code zone} at {@code server} is no longer checked by "dnssec"; its dnssec conditions are cleared. */
    default void dnssecRemoved(String server, Name zone) {
        throw new UnsupportedOperationException("dnssecRemoved is not supported by " + getClass().getName());
    }

    /**
     * Reload: {@code zones} are no longer verified by "verify": their zone-valid / zone-invalid is
     * cleared and they no longer hold their services back.
     */
    default void verifyRemoved(Set<Name> zones) {
        throw new UnsupportedOperationException("verifyRemoved is not supported by " + getClass().getName());
    }

    /**
     * A local name server's own zone list (read successfully): the core raises zone-unwatched for
     * each zone on it that is not watched and clears it when watched or gone; it tells
     * {@code unwatchedNow} (on the core thread) the server's unwatched zones now and after each reload.
     */
    default void zonesServed(String server, Set<Name> zones, java.util.function.Consumer<Set<Name>> unwatchedNow) {
        throw new UnsupportedOperationException("zonesServed is not supported by " + getClass().getName());
    }

    /** Reload: the zone list of {@code server} is no longer read; its zone-unwatched are cleared. */
    default void serverZonesRemoved(String server) {
        throw new UnsupportedOperationException("serverZonesRemoved is not supported by " + getClass().getName());
    }

    /**
     * The zones that one dynamic source ({@code "catalog:<catalog zone>"}, {@code "autoprimary"},
     * {@code "server-zones:<server>"}) lists now, replacing what that source listed before. The core
     * watches the union of the config's zones and every source's: a zone that stays keeps its state,
     * one that appears is watched and raises zone-added, one that no source (nor the config) lists any
     * more stops being watched, no longer counts for its services and raises zone-removed. A zone the
     * config lists keeps the config's settings (the config takes precedence; the core reports the
     * overlap). An empty collection removes everything the source listed.
     */
    default void zoneSource(String source, Collection<ZoneSettings> zones) {
        throw new UnsupportedOperationException("zoneSource is not supported by " + getClass().getName());
    }

    /** A check requested through {@link CheckRequester} finished. */
    void checkFinished(CheckResult result);
}
