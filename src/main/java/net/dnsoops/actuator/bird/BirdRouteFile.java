package net.dnsoops.actuator.bird;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import java.util.stream.Collectors;
import net.dnsoops.route.Route;
import net.dnsoops.route.RouteAttributes;

/**
 * The include file BIRD reads inside a static protocol: one "route" line per prefix, with the
 * state's attributes as a BIRD filter block. Written to a temporary file in the same directory
 * and renamed, so BIRD never reads half a file, not even when it restarts at that moment.
 */
final class BirdRouteFile {
    private BirdRouteFile() {
    }

    static String render(Collection<Route> routes, String routeType) {
        StringBuilder b = new StringBuilder("# Written by dns-oops; rewritten on every change. Do not edit.\n");
        for (Route r : routes) {
            b.append("route ").append(r.prefix()).append(' ').append(routeType);
            String attrs = attributes(r.attributes());
            if (!attrs.isEmpty()) b.append(" {").append(attrs).append(" }");
            b.append(";  # service ").append(r.service().replaceAll("[\\r\\n]", " ")).append('\n');
        }
        return b.toString();
    }

    private static String attributes(RouteAttributes a) {
        StringBuilder b = new StringBuilder();
        if (a.med != null) b.append(" bgp_med = ").append(a.med).append(';');
        for (String c : a.communities) {
            String[] p = c.split(":");
            b.append(" bgp_community.add((").append(p[0]).append(',').append(p[1]).append("));");
        }
        // prepend puts each AS in front: prepend in reverse so the path reads as configured
        for (int i = a.asPathPrepend.size() - 1; i >= 0; i--) {
            b.append(" bgp_path.prepend(").append(a.asPathPrepend.get(i)).append(");");
        }
        return b.toString();
    }

    /** Replaces {@code file} atomically; returns false if it already had exactly this content. */
    static boolean write(Path file, String content) throws IOException {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        if (Files.exists(file) && java.util.Arrays.equals(Files.readAllBytes(file), bytes)) return false;
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            Files.write(tmp, bytes);
            tmp.toFile().setReadable(true, false); // BIRD may run as its own user
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return true;
    }

    static String prefixes(Collection<Route> routes) {
        return routes.stream().map(Route::prefix).collect(Collectors.joining(" "));
    }
}
