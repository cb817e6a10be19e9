package net.dnsoops.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.dnsoops.route.ServiceResolver;

/**
 * Reads the JSON config. Comments ({@code //}, {@code /* *}{@code /}) and "_"-prefixed keys are
 * allowed; unknown keys, duplicate keys and wrong types are errors that name the file, line,
 * column and field.
 */
public final class ConfigLoader {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
            .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(com.fasterxml.jackson.databind.MapperFeature.ALLOW_COERCION_OF_SCALARS)
            // JSON types are kept apart: 2.5 is not a whole number, 5 and true are not text,
            // "true" is not a boolean; each is an error that says what was expected.
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .withCoercionConfig(LogicalType.Textual, c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .withCoercionConfig(LogicalType.Integer, c -> c.setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.String, CoercionAction.Fail))
            .withCoercionConfig(LogicalType.Float, c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail))
            .withCoercionConfig(LogicalType.Boolean, c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.String, CoercionAction.Fail))
            // null is no value: leave the key out for the default
            .defaultSetterInfo(com.fasterxml.jackson.annotation.JsonSetter.Value.construct(
                    com.fasterxml.jackson.annotation.Nulls.FAIL, com.fasterxml.jackson.annotation.Nulls.FAIL))
            .propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
            .addModule(new ConfigModule())
            .addModule(new SimpleModule().setDeserializerModifier(new ValidatingModifier()))
            .addHandler(new UnknownKeys())
            .build();

    static ObjectMapper mapper() {
        return MAPPER;
    }

    private ConfigLoader() {
    }

    public static DnsOopsConfig load(Path file) throws ConfigException {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": no such file");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage(), e);
        }
        Path dir = file.toAbsolutePath().getParent();
        return parse(text, file.toString(), dir);
    }

    /** Parses config text; {@code origin} names it in error messages. */
    public static DnsOopsConfig parse(String text, String origin) throws ConfigException {
        return parse(text, origin, Path.of("").toAbsolutePath());
    }

    /** Parses config text; a relative "keys-file" is read from {@code dir}. */
    public static DnsOopsConfig parse(String text, String origin, Path dir) throws ConfigException {
        DnsOopsConfig c;
        try {
            c = MAPPER.readValue(text, DnsOopsConfig.class);
            if (c == null) throw new ConfigException(origin + ": empty config (expected a JSON object)");
        } catch (JsonProcessingException e) {
            throw new ConfigException(JsonErrors.describe(e, origin, text, DnsOopsConfig.class), e);
        }
        Map<String, TsigKeyConfig> keys = new LinkedHashMap<>(c.keys);
        if (c.keysFile != null) {
            for (Map.Entry<String, TsigKeyConfig> e : KeysFile.read(dir.resolve(c.keysFile)).entrySet()) {
                if (keys.putIfAbsent(e.getKey(), e.getValue()) != null) {
                    throw new ConfigException(origin + ": key \"" + e.getKey() + "\" is in both \"keys\" and " + c.keysFile);
                }
            }
        }
        for (Map.Entry<String, TsigKeyConfig> e : keys.entrySet()) {
            if (e.getValue().algorithm.equals("hmac-md5") && !c.allowHmacMd5) {
                throw new ConfigException(JsonErrors.at(origin, text, List.of("keys", e.getKey(), "algorithm"),
                        "hmac-md5 is refused unless \"allow-hmac-md5\": true"));
            }
        }
        c.keyRing(TsigKeys.of(keys));
        checkKeyReferences(c, origin, text);
        checkVerifyZones(c, origin, text);
        if (!c.services.isEmpty()) {
            try {
                c.serviceSettings(); // services name zones and use their fields in prefix templates
                ServiceResolver.checkQueryRateServers(c.services, c.statsServers()); // and stats servers by name
            } catch (IllegalArgumentException e) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("^services\\.\"([^\"]*)\": (.*)$",
                        java.util.regex.Pattern.DOTALL).matcher(e.getMessage());
                if (!m.matches()) throw new ConfigException(origin + ": " + e.getMessage());
                throw new ConfigException(JsonErrors.atNamedKey(origin, text, List.of("services", m.group(1)), m.group(2)));
            }
        }
        checkProbeServices(c, origin);
        return c;
    }

    /**
     * A probe's "services" must name services (a "services" entry or a zone group): a misspelt one
     * would hold nothing back when the server is down.
     */
    private static void checkProbeServices(DnsOopsConfig c, String origin) throws ConfigException {
        if (c.probe.stream().allMatch(p -> p.services.isEmpty())) return;
        java.util.Set<String> known = new java.util.TreeSet<>(c.services.keySet());
        for (net.dnsoops.core.ZoneSettings z : c.zoneSettings()) known.add(z.service());
        for (net.dnsoops.input.probe.ProbeConfig p : c.probe) {
            for (String s : p.services) {
                if (!known.contains(s)) {
                    throw new ConfigException(origin + ": probe \"" + p.serverName() + "\": \"services\": no service \""
                            + s + "\" (services are the \"services\" entries and the zones' groups: "
                            + String.join(", ", known) + ")");
                }
            }
        }
    }

    /** Every notify-key and soa-key must name a configured key. */
    private static void checkKeyReferences(DnsOopsConfig c, String origin, String text) throws ConfigException {
        List<String> missing = new ArrayList<>();
        java.util.function.BiConsumer<List<Object>, ZoneConfig> check = (where, z) -> {
            for (String[] ref : new String[][] {{"notify-key", z.notifyKey}, {"soa-key", z.soaKey}}) {
                if (ref[1] != null && c.keyRing().get(ConfigValues.zoneName(ref[1])) == null) {
                    List<Object> path = new ArrayList<>(where);
                    path.add(ref[0]);
                    missing.add(JsonErrors.at(origin, text, path, noKey(ref[1])));
                }
            }
        };
        check.accept(List.of("defaults"), c.defaults);
        // the zones map's keys are names; the file's spelling is found again for the location
        Map<org.xbill.DNS.Name, String> written = zoneKeys(text);
        c.zones.forEach((name, z) -> check.accept(List.of("zones", written.getOrDefault(name, name.toString())), z));
        for (net.dnsoops.actuator.relay.RelayConfig.Target t : c.relay.all()) {
            if (t.key != null && c.keyRing().get(ConfigValues.zoneName(t.key)) == null) {
                missing.add(origin + ": relay: target " + t + ": " + noKey(t.key));
            }
        }
        for (int i = 0; i < c.verify.size(); i++) {
            String key = c.verify.get(i).key;
            if (key != null && c.keyRing().get(ConfigValues.zoneName(key)) == null) {
                missing.add(JsonErrors.at(origin, text, List.of("verify", i, "key"), noKey(key)));
            }
        }
        // dnssec transfers too: checked here so that check-config and a reload reject the file as a whole.
        for (int i = 0; i < c.dnssec.size(); i++) {
            String key = c.dnssec.get(i).key;
            if (key != null && c.keyRing().get(ConfigValues.zoneName(key)) == null) {
                missing.add(JsonErrors.at(origin, text, List.of("dnssec", i, "key"), noKey(key)));
            }
        }
        if (!missing.isEmpty()) throw new ConfigException(missing.get(0));
    }

    private static String noKey(String name) {
        return "no key named \"" + name + "\" in \"keys\" or \"keys-file\"; expected the name of a configured TSIG key";
    }

    /** The zone names as written under "zones", by name; read again only when an error is reported. */
    private static Map<org.xbill.DNS.Name, String> zoneKeys(String text) {
        Map<org.xbill.DNS.Name, String> m = new java.util.HashMap<>();
        try {
            JsonNode zones = MAPPER.readTree(text).path("zones");
            zones.fieldNames().forEachRemaining(k -> {
                try {
                    m.putIfAbsent(ConfigValues.zoneName(k), k);
                } catch (IllegalArgumentException ignored) {
                    // not a name: the loader has reported it already
                }
            });
        } catch (IOException | RuntimeException ignored) {
            // without the spelling the message has no line:column, but still the zone and key
        }
        return m;
    }

    /** Every zone of a "verify" entry is a configured zone, and in one entry only. */
    private static void checkVerifyZones(DnsOopsConfig c, String origin, String text) throws ConfigException {
        // dnsjava's Name compares and hashes case-insensitively.
        java.util.Set<org.xbill.DNS.Name> seen = new java.util.HashSet<>();
        for (int i = 0; i < c.verify.size(); i++) {
            for (org.xbill.DNS.Name name : c.verify.get(i).zones) {
                String z = name.toString();
                if (!c.zones.containsKey(name)) {
                    throw new ConfigException(JsonErrors.at(origin, text, List.of("verify", i, "zones"), z
                            + " is not under \"zones\"; expected zones configured under \"zones\""));
                }
                if (!seen.add(name)) {
                    throw new ConfigException(JsonErrors.at(origin, text, List.of("verify", i, "zones"), z
                            + " is in two \"verify\" entries; expected each zone in one entry"));
                }
            }
        }
    }

    /**
     * Keys Jackson does not know: "_comment"-style keys pass anywhere; in a zone (or "defaults")
     * they are template fields; everywhere else they stay errors.
     */
    private static final class UnknownKeys extends DeserializationProblemHandler {
        @Override
        public boolean handleUnknownProperty(DeserializationContext ctxt, JsonParser p, JsonDeserializer<?> deserializer,
                                             Object beanOrClass, String propertyName) throws IOException {
            if (propertyName.startsWith("_")) {
                p.skipChildren();
                return true;
            }
            if (beanOrClass instanceof ZoneConfig zone) {
                JsonLocation at = p.currentTokenLocation();
                JsonNode value = ctxt.readTree(p);
                try {
                    zone.field(propertyName, value);
                } catch (IllegalArgumentException e) {
                    throw new JsonMappingException(p, e.getMessage(), at);
                }
                return true;
            }
            return false;
        }
    }
}
