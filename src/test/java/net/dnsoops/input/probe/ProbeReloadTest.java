package net.dnsoops.input.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import net.dnsoops.core.CoreSink;
import net.dnsoops.testsupport.FakeCore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

/**
 * A reload of "probe" without a network: which probes keep their state, which start over, and
 * what the core is told. Probes run once an hour here (and once at start, against a port
 * nobody answers on, which counts as one failed probe: below every "fall" used).
 */
class ProbeReloadTest {
    final List<String> events = new CopyOnWriteArrayList<>();
    final CoreSink core = new FakeCore() {
        @Override
        public void serverHealth(String server, boolean up, Set<String> services, String detail) {
            events.add(server + (up ? " up " : " down ") + services);
        }

        @Override
        public void probeRemoved(String server) {
            events.add(server + " removed");
        }

        @Override
        public void extendedErrors(String via, String server, Name zone, Map<Integer, String> codes) {
        }
    };
    ProbeInput input;

    static ProbeConfig probe(String name, int port, String... services) {
        ProbeConfig c = new ProbeConfig();
        c.name = name;
        c.address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        c.zone = Name.fromConstantString("a.test.");
        c.interval = Duration.ofHours(1);
        c.timeout = Duration.ofMillis(100);
        c.rise = 2;
        c.fall = 3;
        c.services = List.of(services);
        c.validate();
        return c;
    }

    @AfterEach
    void close() {
        if (input != null) input.close();
    }

    /** Starts the input and waits for each probe's first run (one failed probe) to be counted. */
    void start(ProbeConfig... probes) {
        input = new ProbeInput(List.of(probes));
        input.start(core);
        for (ProbeConfig c : probes) {
            net.dnsoops.testsupport.Eventually.await(Duration.ofSeconds(5), "first probe of " + c.serverName(),
                    () -> input.probe(c.serverName()).failedInARow() == 1, () -> "");
        }
    }

    /** Drives a probe to "up" as two good answers would. */
    static void up(ProbeInput.Probe p) {
        p.observe(null, "");
        p.observe(null, "");
    }

    @Test
    void anUnchangedProbeKeepsItsStateAndCountsAndIsNotSaidUpAgain() {
        start(probe("nsd", 1));
        ProbeInput.Probe before = input.probe("nsd");
        up(before);
        before.observe("timeout", ""); // one failure of three towards down
        events.clear();

        input.reconfigure(List.of(probe("nsd", 1)));

        assertSame(before, input.probe("nsd"));
        assertEquals(ProbeInput.State.UP, before.state());
        assertEquals(1, before.failedInARow());
        assertEquals(List.of(), events);
    }

    @Test
    void aChangedThresholdKeepsTheCountsAndAppliesAtTheNextProbe() {
        start(probe("nsd", 1));
        ProbeInput.Probe p = input.probe("nsd");
        up(p);
        p.observe("timeout", "");
        events.clear();

        ProbeConfig fallOne = probe("nsd", 1);
        fallOne.fall = 2;
        input.reconfigure(List.of(fallOne));

        assertSame(p, input.probe("nsd"));
        assertEquals(1, p.failedInARow(), "same target: the failure so far still counts");
        p.observe("timeout", "");
        assertEquals(List.of("nsd down []"), events, "the second failure reaches the new fall of 2");
    }

    @Test
    void aNewTargetKeepsTheStateButStartsTheCountsOver() {
        start(probe("nsd", 1));
        ProbeInput.Probe p = input.probe("nsd");
        up(p);
        p.observe("timeout", "");
        p.observe("timeout", "");
        events.clear();

        input.reconfigure(List.of(probe("nsd", 2)));

        assertEquals(ProbeInput.State.UP, p.state(), "up until the new target proves otherwise");
        assertEquals(0, p.failedInARow(), "the old address's failures say nothing about the new one");
        p.observe("timeout", "");
        p.observe("timeout", "");
        assertEquals(List.of(), events);
        p.observe("timeout", "");
        assertEquals(List.of("nsd down []"), events);
    }

    @Test
    void aRemovedProbeStopsAndTheCoreIsToldAndItsLateAnswersAreDropped() {
        start(probe("nsd", 1), probe("knot", 2));
        ProbeInput.Probe knot = input.probe("knot");
        events.clear();

        boolean stillProbing = input.reconfigure(List.of(probe("nsd", 1)));

        assertEquals(true, stillProbing);
        assertNull(input.probe("knot"));
        assertEquals(List.of("knot removed"), events);
        knot.observe("timeout", "");
        knot.observe("timeout", "");
        knot.observe("timeout", "");
        knot.observe("timeout", "");
        assertEquals(List.of("knot removed"), events, "a probe in flight when it was removed reports nothing");
        assertEquals(false, input.reconfigure(List.of()), "an empty list: the daemon closes the input");
    }

    @Test
    void anAddedProbeStartsUnknown() {
        start(probe("nsd", 1));
        input.reconfigure(List.of(probe("nsd", 1), probe("bind", 3)));
        assertNotNull(input.probe("bind"));
        assertEquals(ProbeInput.State.UNKNOWN, input.probe("bind").state());
    }

    @Test
    void aDownServerWhoseServicesChangedIsSaidDownForTheNewServices() {
        start(probe("nsd", 1, "a"));
        ProbeInput.Probe p = input.probe("nsd");
        p.observe("timeout", "");
        p.observe("timeout", ""); // the third failure with the one at start
        assertEquals(List.of("nsd down [a]"), events);

        input.reconfigure(List.of(probe("nsd", 1, "b")));

        assertEquals(List.of("nsd down [a]", "nsd down [b]"), events);
    }
}
