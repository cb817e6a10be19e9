package net.dnsoops.route;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.dnsoops.actuator.bird.BirdActuator;
import net.dnsoops.actuator.bird.BirdConfig;
import net.dnsoops.actuator.bird.BirdControl;
import net.dnsoops.actuator.command.CommandActuator;
import net.dnsoops.actuator.command.CommandConfig;
import net.dnsoops.actuator.exabgp.ExabgpActuator;
import net.dnsoops.actuator.exabgp.ExabgpConfig;
import net.dnsoops.core.Actuator;
import net.dnsoops.core.Condition;
import net.dnsoops.core.ConditionType;
import net.dnsoops.core.ServiceSnapshot;
import net.dnsoops.core.StateView;
import net.dnsoops.core.ZoneSnapshot;
import net.dnsoops.core.ZoneState;
import net.dnsoops.testsupport.BirdLab;
import net.dnsoops.testsupport.ExabgpLab;
import net.dnsoops.testsupport.ManagedProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bench figure of issue 3: condition handed to an actuator → route visible (or gone) at the
 * upstream BIRD, two BGP hops away, median and p99 per actuator. Runs only with -Dbench=true
 * (scripts/bench-routes); writes target/bench-routes.txt.
 */
@Timeout(600)
class RouteLatencyBenchIT {
    static final String PREFIX = "198.51.100.99/32";
    static final int SAMPLES = Integer.getInteger("bench.samples", 50);

    @TempDir
    Path tmp;

    static final StateView NOT_READY = new StateView() {
        @Override
        public List<ZoneSnapshot> zones() {
            return List.of(new ZoneSnapshot("bench.test.", "g", ZoneState.FAILING, -1, -1, -1, -1, -1, 1, "", ""));
        }

        @Override
        public List<ServiceSnapshot> services() {
            return List.of();
        }
    };

    static List<ServiceSettings> service() {
        return List.of(new ServiceSettings("bench", Set.of("bench.test."), List.of(PREFIX), 1, 1, Duration.ofSeconds(1),
                Duration.ZERO, ServiceConfig.WhenDegraded.ANNOUNCE, RouteAttributes.none(), RouteAttributes.none()));
    }

    static Condition ready(boolean raised) {
        // the core's verdict on the service: what routes follow
        return new Condition(ConditionType.SERVICE_READY, raised, Instant.now(), null, "bench", -1, -1, "", Map.of(), "");
    }

    @Test
    void conditionToUpstreamRoute() throws Exception {
        assumeTrue(Boolean.getBoolean("bench"), "bench only with -Dbench=true");
        ExabgpLab exa = new ExabgpLab(tmp.resolve("exabgp"));
        StringBuilder out = new StringBuilder("condition -> route at the upstream BIRD (2 BGP hops), " + SAMPLES
                + " announce + " + SAMPLES + " withdraw samples each\n");
        try (BirdLab lab = new BirdLab(tmp.resolve("bird"), exa.port).start()) {
            BirdConfig b = new BirdConfig();
            b.socket = lab.edgeSocket;
            b.ipv4File = lab.routes4;
            b.ipv6File = lab.routes6;
            b.resync = Duration.ZERO;
            out.append(measure("bird (socket + include file + configure)", new BirdActuator(b, service(), NOT_READY,
                    Clock.systemUTC()), lab));

            ManagedProcess exabgp = exa.start(exa.writeConfig(lab, List.of()), true);
            try {
                ExabgpLab.awaitEstablished(lab);
                ExabgpConfig e = new ExabgpConfig();
                e.mode = ExabgpConfig.Mode.PIPE;
                e.pipe = exa.pipe();
                e.resync = Duration.ZERO;
                out.append(measure("exabgp pipe mode (named pipes, ack)", new ExabgpActuator(e, service(), NOT_READY,
                        Clock.systemUTC()), lab));

                CommandConfig c = new CommandConfig();
                List<String> cli = new ArrayList<>(List.of("env", "exabgp.api.pipename=" + exa.pipeName, "exabgpcli",
                        "--root", exa.dir.toString()));
                c.announce = concat(cli, "announce", "route", "{prefix}", "next-hop", "self");
                c.withdraw = concat(cli, "withdraw", "route", "{prefix}", "next-hop", "self");
                c.resync = Duration.ZERO;
                out.append(measure("command (exabgpcli subprocess per prefix)", new CommandActuator(c, service(),
                        NOT_READY, Clock.systemUTC()), lab));
            } finally {
                exabgp.close();
            }
        }
        System.err.print(out);
        Files.writeString(Path.of("target/bench-routes.txt"), out.toString());
    }

    static List<String> concat(List<String> a, String... b) {
        List<String> l = new ArrayList<>(a);
        l.addAll(List.of(b));
        return l;
    }

    static String measure(String name, Actuator a, BirdLab lab) throws Exception {
        List<Double> on = new ArrayList<>();
        List<Double> off = new ArrayList<>();
        a.start();
        try (BirdControl up = BirdControl.connect(lab.upstreamSocket, Duration.ofSeconds(5))) {
            waitFor(up, false, 10_000);
            net.dnsoops.testsupport.Eventually.await(Duration.ofSeconds(10), name + "'s first (full) pass",
                    () -> a.health().status() == net.dnsoops.core.Health.Status.OK);
            for (int i = 0; i < SAMPLES; i++) {
                a.apply(ready(true)); // waitFor's clock starts right after the hand-over
                on.add(waitFor(up, true, 10_000));
                a.apply(ready(false));
                off.add(waitFor(up, false, 10_000));
                Thread.sleep(20);
            }
        } finally {
            a.apply(Condition.bridge(ConditionType.BRIDGE_STOPPING, true, Instant.now()));
            a.close();
        }
        return String.format("%-44s announce median %6.1f ms  p99 %6.1f ms | withdraw median %6.1f ms  p99 %6.1f ms%n",
                name, pct(on, 50), pct(on, 99), pct(off, 50), pct(off, 99));
    }

    /** Polls the upstream until the prefix is (or is not) there; ms since the call. */
    static double waitFor(BirdControl up, boolean present, long limitMs) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        while ((System.nanoTime() - t0) / 1_000_000 < limitMs) {
            boolean has = up.command("show route " + PREFIX).lines().stream().anyMatch(l -> l.code() == 1007
                    && l.text().startsWith(PREFIX));
            if (has == present) return (System.nanoTime() - t0) / 1e6;
        }
        throw new AssertionError(PREFIX + (present ? " never appeared" : " never went") + " at the upstream");
    }

    static double pct(List<Double> xs, int p) {
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        int i = (int) Math.ceil(p / 100.0 * s.size()) - 1;
        return s.get(Math.max(0, Math.min(s.size() - 1, i)));
    }
}
