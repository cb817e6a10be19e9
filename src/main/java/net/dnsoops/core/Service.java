package net.dnsoops.core;

/**
 * Readiness of one zone group. Counters instead of scans, so a change to one zone of a million
 * costs O(1). Nothing is signalled until every zone was tried once: routes must not move on
 * half-known state at start-up.
 */
final class Service {
    enum Status { UNKNOWN, READY, NOT_READY }

    final String name;
    int zones;
    int ready;
    int attempted;
    Status status = Status.UNKNOWN;
    /** Probed name servers of this service that are down (issue 10): while above 0 it is not ready. */
    int serversDown;
    /** Zones of this service that must verify (input/verify, require-valid) and have not (yet): not ready while above 0. */
    int notValid;
    /** Zones per state while {@code ZoneWatcher.zonePage} counts them (indexed by ordinal), else null. */
    int[] stateCounts;

    Service(String name) {
        this.name = name;
    }

    /** The status the counters call for, or UNKNOWN while some zone was never tried. */
    Status derived() {
        if (zones == 0 || attempted < zones) return Status.UNKNOWN;
        return ready == zones && serversDown == 0 && notValid == 0 ? Status.READY : Status.NOT_READY;
    }

    ServiceSnapshot snapshot() {
        return new ServiceSnapshot(name, zones, ready, attempted, status == Status.READY);
    }
}
