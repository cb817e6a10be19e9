package net.dnsoops.core;

import java.time.Instant;
import java.util.Map;

/**
 * One signal from the core to the actuators: a condition that started ({@code raised}) or
 * stopped ({@code raised == false}) holding.
 *
 * @param zone      zone name with trailing dot, or null for service and bridge conditions
 * @param service   the zone's service (group), or the service itself; null for bridge conditions
 * @param serial    the verified serial, or -1 when unknown
 * @param oldSerial the previous verified serial (zone-updated), or -1
 * @param source    who told us: the NOTIFY sender, or the primary that answered a timer refresh
 * @param fields    the zone's template fields from the config (e.g. "last-octet" -> "4")
 * @param detail    a human-readable reason (failure text), may be empty
 */
public record Condition(
        ConditionType type,
        boolean raised,
        Instant time,
        String zone,
        String service,
        long serial,
        long oldSerial,
        String source,
        Map<String, String> fields,
        String detail) {

    public Condition {
        fields = fields == null ? Map.of() : fields;
        detail = detail == null ? "" : detail;
        source = source == null ? "" : source;
    }

    public static Condition bridge(ConditionType type, boolean raised, Instant time) {
        return new Condition(type, raised, time, null, null, -1, -1, null, Map.of(), "");
    }

    public static Condition service(ConditionType type, String service, Instant time) {
        return new Condition(type, true, time, null, service, -1, -1, null, Map.of(), "");
    }

    /** A server-up/server-down event; {@code server} (e.g. "cz.nic.knotd") becomes the source. */
    public static Condition server(ConditionType type, String server, Instant time, String detail) {
        return new Condition(type, true, time, null, null, -1, -1, server, Map.of(), detail);
    }

    /** "raised" or "cleared": what hooks see in {state}. */
    public String state() {
        return raised ? "raised" : "cleared";
    }

    @Override
    public String toString() {
        // Sized for a typical zone line (about 90 characters), so the builder is not copied as it grows.
        StringBuilder b = new StringBuilder(128).append(type.wireName()).append(' ').append(state());
        if (zone != null) b.append(" zone=").append(zone);
        if (service != null) b.append(" service=").append(service);
        if (serial >= 0) b.append(" serial=").append(serial);
        if (oldSerial >= 0) b.append(" old-serial=").append(oldSerial);
        if (!source.isEmpty()) b.append(" source=").append(source);
        if (!detail.isEmpty()) b.append(" detail=\"").append(detail).append('"');
        return b.toString();
    }
}
