package net.dnsoops.actuator.exabgp;

import java.util.List;
import java.util.stream.Collectors;
import net.dnsoops.route.Route;
import net.dnsoops.route.RouteAttributes;

/** ExaBGP 4.2 text API lines for routes. */
final class ExabgpCommands {
    private final ExabgpConfig config;

    ExabgpCommands(ExabgpConfig config) {
        this.config = config;
    }

    String announce(Route r) {
        StringBuilder b = new StringBuilder(selector()).append("announce route ").append(r.prefix())
                .append(" next-hop ").append(nextHop(r.prefix()));
        RouteAttributes a = r.attributes();
        if (a.med != null) b.append(" med ").append(a.med);
        if (!a.communities.isEmpty()) b.append(" community [ ").append(String.join(" ", a.communities)).append(" ]");
        if (!a.asPathPrepend.isEmpty()) {
            // ExaBGP sends this path as it is: our own AS must close it, after the prepended ones
            List<Long> path = new java.util.ArrayList<>(a.asPathPrepend);
            if (config.localAs != null) path.add(config.localAs);
            b.append(" as-path [ ").append(path.stream().map(String::valueOf).collect(Collectors.joining(" ")))
                    .append(" ]");
        }
        return b.toString();
    }

    String withdraw(String prefix) {
        return selector() + "withdraw route " + prefix + " next-hop " + nextHop(prefix);
    }

    private String nextHop(String prefix) {
        return prefix.contains(":") ? config.nextHopV6 : config.nextHop;
    }

    private String selector() {
        List<String> n = config.neighbors;
        if (n.isEmpty()) return "";
        return n.stream().map(a -> "neighbor " + a).collect(Collectors.joining(", ")) + " ";
    }
}
