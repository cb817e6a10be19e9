package net.dnsoops.core;

import java.util.List;
import java.util.Map;

/**
 * One page of a {@link ZoneQuery}, and what every status reader wants besides: how many zones
 * each service has in each state (over every zone, not only the filtered ones).
 *
 * @param zones     the page, in the query's order
 * @param matched   zones that pass the filter, over every page
 * @param next      the cursor of the next page, null when this is the last
 * @param total     zones configured
 * @param byService service → state → zones (every state present), services by name; a zone
 *                  that counts towards several services is in each
 * @param byState   state → zones over every zone, each zone once (every state present)
 * @param services  every service's verdict with its zones by state, from the same pass as byService
 * @param serversDown name servers that are down, at the same moment
 * byService, byState and services are null on a page that was read without a pass over every
 * zone (a later page in name order without a filter): take them from the first page.
 */
public record ZonePage(List<ZoneSnapshot> zones, int matched, ZoneQuery.Cursor next, int total,
                       Map<String, Map<ZoneState, Integer>> byService, Map<ZoneState, Integer> byState,
                       List<ServiceSnapshot> services, java.util.Set<String> serversDown) {
    /** True if the counts (byService, byState, services) were made for this page. */
    public boolean counted() {
        return byState != null;
    }
}
