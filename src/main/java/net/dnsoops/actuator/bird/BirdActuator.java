package net.dnsoops.actuator.bird;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;
import net.dnsoops.core.StateView;
import net.dnsoops.route.PrefixTemplate;
import net.dnsoops.route.ReconcilingActuator;
import net.dnsoops.route.Route;
import net.dnsoops.route.ServiceSettings;

/**
 * Announces service prefixes through a local BIRD 2 (config "bird"). The desired routes live in
 * include files (one per family) that BIRD reads at every {@code configure}; runtime
 * {@code enable}/{@code disable} is never used because any configure undoes it. A change is:
 * write the files atomically, {@code configure}, then poll {@code show route protocol P} until
 * BIRD lists exactly the desired prefixes. A restarted BIRD reads the same files, and the
 * periodic resync repairs anything else.
 */
public final class BirdActuator extends ReconcilingActuator {
    private static final long CONFIRM_POLL_MS = 2;

    private final BirdConfig config;
    private BirdControl bird;

    public BirdActuator(BirdConfig config, List<ServiceSettings> services, StateView state, Clock clock) {
        super("bird", clock, services, state, config.resync, config.stopTimeout);
        this.config = config;
    }

    @Override
    protected void converge(SortedMap<String, Route> desired, SortedMap<String, Route> previous,
                            List<String> allPrefixes) throws Exception {
        List<Route> v4 = desired.values().stream().filter(r -> !r.ipv6()).toList();
        List<Route> v6 = desired.values().stream().filter(Route::ipv6).toList();
        boolean useV4 = !v4.isEmpty() || allPrefixes.stream().anyMatch(p -> !PrefixTemplate.isIpv6(p));
        boolean useV6 = !v6.isEmpty() || allPrefixes.stream().anyMatch(PrefixTemplate::isIpv6);
        boolean changed = false;
        if (useV4) changed |= BirdRouteFile.write(config.ipv4File, BirdRouteFile.render(v4, config.routeType));
        if (useV6) changed |= BirdRouteFile.write(config.ipv6File, BirdRouteFile.render(v6, config.routeType));
        BirdControl b = control();
        if (!changed && previous == null && matches(b, useV4, v4, useV6, v6)) return; // resync: all in order
        if (changed || previous == null) configure(b);
        long deadline = System.nanoTime() + config.timeout.toNanos();
        while (!matches(b, useV4, v4, useV6, v6)) {
            if (System.nanoTime() > deadline) {
                throw new IOException("BIRD does not list the desired routes " + BirdRouteFile.prefixes(desired.values())
                        + " after configure; is \"include\" of " + config.ipv4File + " / " + config.ipv6File
                        + " inside protocol static " + config.ipv4Protocol + " / " + config.ipv6Protocol + "?");
            }
            Thread.sleep(CONFIRM_POLL_MS);
        }
    }

    private void configure(BirdControl b) throws IOException {
        BirdReply r = b.command("configure");
        if (!r.ok()) throw new IOException("BIRD refused configure: " + r.code() + " " + r.text());
        log.debug("bird: configure -> {} {}", r.code(), r.text());
    }

    private boolean matches(BirdControl b, boolean useV4, List<Route> v4, boolean useV6, List<Route> v6)
            throws IOException {
        return (!useV4 || listed(b, config.ipv4Protocol).equals(prefixSet(v4)))
                && (!useV6 || listed(b, config.ipv6Protocol).equals(prefixSet(v6)));
    }

    private Set<String> listed(BirdControl b, String protocol) throws IOException {
        BirdReply r = b.command("show route protocol " + protocol);
        if (r.code() == 9001) {
            throw new IOException("BIRD has no protocol " + protocol + "; add it to bird.conf (see docs/bird.md)");
        }
        if (!r.ok()) throw new IOException("show route protocol " + protocol + ": " + r.code() + " " + r.text());
        Set<String> out = new TreeSet<>();
        for (String p : r.routePrefixes()) out.add(PrefixTemplate.canonical(p));
        return out;
    }

    private static Set<String> prefixSet(List<Route> routes) {
        Set<String> s = new TreeSet<>();
        routes.forEach(r -> s.add(r.prefix()));
        return s;
    }

    private BirdControl control() throws IOException {
        if (bird == null) {
            bird = BirdControl.connect(config.socket, config.timeout);
            log.info("bird: connected to {} ({})", config.socket, bird.greeting());
        }
        return bird;
    }

    @Override
    protected void reset() {
        if (bird != null) bird.close();
        bird = null;
    }

    @Override
    protected void shutdown() {
        reset();
    }
}
