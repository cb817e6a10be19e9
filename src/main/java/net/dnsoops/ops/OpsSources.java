package net.dnsoops.ops;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import net.dnsoops.core.Health;
import net.dnsoops.core.Readiness;
import net.dnsoops.core.ServiceSnapshot;
import net.dnsoops.core.ZonePage;
import net.dnsoops.core.ZoneQuery;
import net.dnsoops.core.ZoneState;

/**
 * What the ops server reads, provided by the daemon. Zone and service state come from the core
 * thread ({@code CoreLoop.query}); counters are thread-safe reads of the components' own counters.
 */
public interface OpsSources {
    /** One page of the zones a /status request asks for, with the zones per service and state. */
    CompletableFuture<ZonePage> zonePage(ZoneQuery query);

    /** How many zones are in each state (all states present): for probes and metrics, cheap at any size. */
    CompletableFuture<Map<ZoneState, Integer>> zoneStates();

    CompletableFuture<List<ServiceSnapshot>> services();

    /** Zones by state and every service's verdict, read together: what the readiness rule decides on. */
    default CompletableFuture<Readiness> readiness() {
        return zoneStates().thenCombine(services(), Readiness::new);
    }

    /** Every running input and actuator (configured ones; not the ops tap). */
    List<Component> components();

    /** NOTIFY answers: "udp NOERROR" -> count. */
    Map<String, Long> notifyAnswers();

    /** NOTIFYs refused before admission, by reason: "rate-limit", "tsig". */
    Map<String, Long> notifyRejected();

    /** Datagrams/messages dropped without an answer (not DNS). */
    long notifyDropped();

    long soaChecks();

    long soaFailures();

    /** Single SOA queries over UDP that got no answer in time. */
    long soaQueryTimeouts();

    /** Hook runs (attempts, incl. retries) and runs given up after all retries. */
    long hookRuns();

    long hookFailures();

    /** Queue name -> current depth: "core", "soa", "hooks". */
    Map<String, Long> queueDepths();

    RecentConditions conditions();

    Instant startedAt();

    /** The site is drained (every route withdrawn by the operator's drain). */
    default boolean drained() {
        return false;
    }

    /** One input or actuator: its kind ("input"/"actuator"), name, health, and the object itself. */
    record Component(String kind, String name, Health health, Object self) {
    }
}
