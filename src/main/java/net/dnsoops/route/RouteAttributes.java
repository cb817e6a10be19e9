package net.dnsoops.route;

import java.util.List;
import java.util.Objects;
import net.dnsoops.config.Validated;

/**
 * BGP attributes a service's routes carry in one state ("up" or "degraded"), or add while a
 * condition holds ("query-rate-high", "query-rate-rising"). Every field is optional; an empty
 * object means "no MED, no communities, no prepend". Config and value in one.
 */
public final class RouteAttributes implements Validated {
    /** MULTI_EXIT_DISC; null: not set. Lower is preferred, so "degraded" usually gets a higher one. */
    public Long med;
    /** Standard communities "asn:value" (both 0-65535). */
    public List<String> communities = List.of();
    /** AS numbers put in front of the path (de-preference by length), e.g. [65001, 65001]. */
    public List<Long> asPathPrepend = List.of();

    public static RouteAttributes none() {
        return new RouteAttributes();
    }

    /**
     * These attributes with {@code extra} added on top (a condition's attributes over the state's):
     * the higher MED (never more attractive than either), communities of both without repeats in
     * order (these first), prepends of both in order (these first, so a path reads base then
     * extra). Neither input changes; the result depends only on the order of application.
     */
    public RouteAttributes plus(RouteAttributes extra) {
        RouteAttributes r = new RouteAttributes();
        r.med = med == null ? extra.med : extra.med == null ? med : Long.valueOf(Math.max(med, extra.med));
        java.util.LinkedHashSet<String> c = new java.util.LinkedHashSet<>(communities);
        c.addAll(extra.communities);
        r.communities = List.copyOf(c);
        java.util.ArrayList<Long> path = new java.util.ArrayList<>(asPathPrepend);
        path.addAll(extra.asPathPrepend);
        r.asPathPrepend = List.copyOf(path);
        return r;
    }

    @Override
    public void validate() {
        if (med != null && (med < 0 || med > 0xffffffffL)) {
            throw new IllegalArgumentException("\"med\" must be 0-4294967295");
        }
        for (String c : communities) {
            if (!c.matches("\\d{1,5}:\\d{1,5}") || part(c, 0) > 65535 || part(c, 1) > 65535) {
                throw new IllegalArgumentException("community '" + c + "' is not asn:value (each 0-65535)");
            }
        }
        for (Long as : asPathPrepend) {
            if (as == null || as < 1 || as > 0xffffffffL) {
                throw new IllegalArgumentException("\"as-path-prepend\" entries must be AS numbers 1-4294967295");
            }
        }
    }

    static int part(String community, int i) {
        return Integer.parseInt(community.split(":")[i]);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RouteAttributes a && Objects.equals(med, a.med) && communities.equals(a.communities)
                && asPathPrepend.equals(a.asPathPrepend);
    }

    @Override
    public int hashCode() {
        return Objects.hash(med, communities, asPathPrepend);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        if (med != null) b.append("med=").append(med);
        if (!communities.isEmpty()) b.append(b.isEmpty() ? "" : " ").append("communities=").append(communities);
        if (!asPathPrepend.isEmpty()) b.append(b.isEmpty() ? "" : " ").append("prepend=").append(asPathPrepend);
        return b.toString();
    }
}
