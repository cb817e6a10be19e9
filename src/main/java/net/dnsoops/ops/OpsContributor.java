package net.dnsoops.ops;

import java.util.Map;

/**
 * Extension point for components (actuators, inputs) that have more to show than
 * {@code Health}: e.g. the BGP actuator's prefixes and announced/withdrawn state per service,
 * and a routes-announced metric. The ops server asks every actuator and input that implements
 * this; no metrics library is needed on the component's side.
 */
public interface OpsContributor {
    /**
     * Extra fields for this component's entry in GET /status (JSON-serialisable values). A key
     * {@code "services"} holding a map of service name → details (e.g. prefixes, announced or
     * withdrawn) is also shown under each service in /status as {@code actuators.<name>}, and
     * on the status page.
     */
    default Map<String, Object> statusDetails() {
        return Map.of();
    }

    /** Extra samples for GET /metrics. Called on a scrape thread: read thread-safe state only. */
    default void metrics(Samples out) {
    }

    /** Where {@link #metrics} writes: one call per sample; same name = same metric family. */
    interface Samples {
        /** A gauge sample, e.g. {@code gauge("dns_oops_routes_announced", "Routes announced", 3, "service", "web")}. */
        void gauge(String name, String help, double value, String... labelNamesAndValues);

        /** A monotonic counter sample (name without "_total"). */
        void counter(String name, String help, double value, String... labelNamesAndValues);
    }
}
