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
 */
public record ZonePage(List<ZoneSnapshot> zones, int matched, ZoneQuery.Cursor next, int total,
                       Map<String, Map<ZoneState, Integer>> byService, Map<ZoneState, Integer> byState) {
}
