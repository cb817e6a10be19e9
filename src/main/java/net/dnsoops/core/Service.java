package net.dnsoops.core;

import java.util.ArrayList;
import java.util.List;

/**
 * Readiness of one service: a named set of zones (those whose {@code group} is the name, plus
 * those a {@code services} entry of that name lists), decided here and nowhere else. Counters
 * instead of scans, so a change to one zone of a million costs O(1). Nothing is signalled until
 * every zone was tried once: routes must not move on half-known state at start-up.
 */
final class Service {
    enum Status { UNKNOWN, READY, NOT_READY }

    final String name;
    int zones;
    int ready;
    int attempted;
    Status status = Status.UNKNOWN;
    /** Names of the name servers of this service that are down (probe, knotd): while any, it is not ready. */
    List<String> serversDown = List.of();
    /** Zones of this service that must verify (input/verify, require-valid) and have not (yet): not ready while above 0. */
    int notValid;
    /** Zones per state while {@code ZoneWatcher.zonePage} counts them (indexed by ordinal), else null. */
    int[] stateCounts;

    Service(String name) {
        this.name = name;
    }

    /**
     * The status the counters call for, or UNKNOWN while some zone was never tried. Ready exactly
     * when every zone is ready (serving: refresh-failing and expiring zones still are), no server
     * of it is down, every gated zone verified valid, and the site is not drained.
     */
    Status derived(boolean drained) {
        if (zones == 0 || attempted < zones) return Status.UNKNOWN;
        return !drained && ready == zones && serversDown.isEmpty() && notValid == 0 ? Status.READY : Status.NOT_READY;
    }

    /** Why the service is not ready, in the operator's words; empty when it is. */
    String reason(boolean drained) {
        List<String> why = new ArrayList<>();
        if (zones > 0 && attempted < zones) why.add("first check round not done (" + attempted + " of " + zones + " zones checked)");
        if (drained) why.add("drained");
        if (ready < zones) why.add((zones - ready) + " of " + zones + " zones not ready");
        if (!serversDown.isEmpty()) why.add("server down: " + String.join(", ", serversDown));
        if (notValid > 0) why.add(notValid + " zone(s) not verified valid");
        return String.join("; ", why);
    }
}
