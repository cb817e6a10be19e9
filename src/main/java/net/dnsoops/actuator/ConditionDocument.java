package net.dnsoops.actuator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.format.DateTimeFormatter;
import net.dnsoops.core.Condition;

/**
 * The JSON document one condition becomes for remote actuators (webhook body, MQTT payload).
 * Keys are kebab-case like the config; unknown values are JSON null, never missing keys:
 * <pre>
 * {"condition":"zone-updated","state":"raised","zone":"example.com.","serial":2024010102,
 *  "old-serial":2024010101,"service":"default","source":"192.0.2.1","site":"ams1",
 *  "time":"2026-01-01T12:00:00Z","detail":"","fields":{"last-octet":"4"}}
 * </pre>
 */
public final class ConditionDocument {
    public static final ObjectMapper JSON = new ObjectMapper();

    private ConditionDocument() {
    }

    public static ObjectNode of(Condition c, String site) {
        ObjectNode o = JSON.createObjectNode();
        o.put("condition", c.type().wireName());
        o.put("state", c.state());
        o.put("zone", c.zone());
        if (c.serial() >= 0) o.put("serial", c.serial()); else o.putNull("serial");
        if (c.oldSerial() >= 0) o.put("old-serial", c.oldSerial()); else o.putNull("old-serial");
        o.put("service", c.service());
        o.put("source", c.source().isEmpty() ? null : c.source());
        o.put("site", site);
        o.put("time", DateTimeFormatter.ISO_INSTANT.format(c.time()));
        o.put("detail", c.detail());
        ObjectNode f = o.putObject("fields");
        c.fields().forEach(f::put);
        return o;
    }

    public static byte[] bytes(ObjectNode o) {
        try {
            return JSON.writeValueAsBytes(o);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
