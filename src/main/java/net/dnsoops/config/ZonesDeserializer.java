package net.dnsoops.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.DupDetector;
import com.fasterxml.jackson.core.json.JsonReadContext;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.xbill.DNS.Name;

/**
 * The "zones" object. The parser's duplicate-key check compares keys as text, so "a.test." and
 * "A.TEST" (one zone: names are case-insensitive, the final dot optional) passed it and the
 * second silently replaced the first with its settings. Here keys are compared as zone names.
 */
final class ZonesDeserializer extends JsonDeserializer<Map<Name, ZoneConfig>> {
    @Override
    public Map<Name, ZoneConfig> deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        if (!p.isExpectedStartObjectToken()) {
            throw JsonMappingException.from(p, "must be an object of zone name -> zone settings");
        }
        JsonDeserializer<Object> zone = ctxt.findRootValueDeserializer(ctxt.constructType(ZoneConfig.class));
        // The parser's duplicate-key check keeps every key of an object in a set: for a million
        // zones that set was a sixth of reading the config. The map below checks zone names
        // anyway (as names, not text), so the parser's check is off for this object's keys and
        // back on inside each zone's settings and after this object.
        boolean strict = p.isEnabled(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        JsonStreamContext zonesContext = p.getParsingContext();
        if (strict) p.disable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        try {
            return zones(p, ctxt, zone, strict);
        } finally {
            if (strict) {
                p.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
                // the parser reuses this object's context for the next object at the same depth
                if (zonesContext instanceof JsonReadContext c && c.getDupDetector() == null) {
                    c.withDupDetector(DupDetector.rootDetector(p));
                }
            }
        }
    }

    private static Map<Name, ZoneConfig> zones(JsonParser p, DeserializationContext ctxt, JsonDeserializer<Object> zone,
                                               boolean strict) throws IOException {
        Map<Name, ZoneConfig> zones = new LinkedHashMap<>();
        for (String key = p.nextFieldName(); key != null; key = p.nextFieldName()) {
            JsonLocation at = p.currentTokenLocation();
            Name name;
            try {
                name = ConfigValues.zoneName(key);
            } catch (IllegalArgumentException e) {
                throw JsonMappingException.wrapWithPath(new JsonMappingException(p, e.getMessage() + "; expected "
                        + JsonErrors.expected(Name.class), at), zones, key);
            }
            ZoneConfig z;
            try {
                // A zone written as {} (nearly every zone of a large config) is the one shared
                // ZoneConfig.EMPTY: a million objects of their own were 112 MB that lived until
                // the config was resolved, copied by the collector while the file was read.
                JsonToken value = p.nextToken();
                if (value != JsonToken.START_OBJECT) { // null once crashed the loader later on
                    throw JsonMappingException.from(p, "a zone's settings must be an object ({} for the defaults), not "
                            + (value == JsonToken.START_ARRAY ? "a list"
                            : value == JsonToken.VALUE_STRING ? "\"" + p.getText() + "\"" : p.getText()));
                }
                if (strict) p.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION); // for this zone's own keys
                if (p.nextToken() == JsonToken.END_OBJECT) {
                    z = ZoneConfig.EMPTY;
                } else {
                    z = (ZoneConfig) zone.deserialize(p, ctxt); // Jackson carries on from the first key
                }
            } catch (JsonMappingException e) {
                throw JsonMappingException.wrapWithPath(e, zones, key); // the path names the zone: zones."a.test.".primaries[0]
            }
            if (zones.putIfAbsent(name, z) != null) {
                throw JsonMappingException.wrapWithPath(new JsonMappingException(p, "zone \"" + key
                        + "\" is listed twice: an earlier key is the same zone, " + name
                        + " (names are case-insensitive, the final dot optional)", at), zones, key);
            }
        }
        if (p.currentToken() != JsonToken.END_OBJECT) throw JsonMappingException.from(p, "unexpected " + p.currentToken());
        return zones;
    }
}
