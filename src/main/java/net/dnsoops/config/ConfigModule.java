package net.dnsoops.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.Function;
import net.dnsoops.actuator.hook.HookTrigger;
import net.dnsoops.core.AddressPrefix;
import org.xbill.DNS.Name;

/**
 * Teaches Jackson the config's value types. Parse errors are raised against the parser so that
 * the message carries the line and column of the offending value.
 */
final class ConfigModule extends SimpleModule {
    ConfigModule() {
        addDeserializer(Duration.class, fromText(Duration.class, ConfigValues::duration, true));
        addDeserializer(InetSocketAddress.class, fromText(InetSocketAddress.class, s -> ConfigValues.addressAndPort(s, 53), false));
        addDeserializer(AddressPrefix.class, fromText(AddressPrefix.class, AddressPrefix::parse, false));
        addDeserializer(Name.class, fromText(Name.class, ConfigValues::zoneName, false));
        addDeserializer(HookTrigger.class, fromText(HookTrigger.class, HookTrigger::parse, false));
        addKeyDeserializer(Name.class, new KeyDeserializer() {
            @Override
            public Object deserializeKey(String key, DeserializationContext ctxt) throws IOException {
                try {
                    return ConfigValues.zoneName(key);
                } catch (IllegalArgumentException e) {
                    throw JsonMappingException.from(ctxt.getParser(), e.getMessage());
                }
            }
        });
    }

    private static <T> JsonDeserializer<T> fromText(Class<T> type, Function<String, T> parse, boolean numbersAsText) {
        return new JsonDeserializer<>() {
            @Override
            public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                JsonToken t = p.currentToken();
                boolean ok = t == JsonToken.VALUE_STRING
                        || (numbersAsText && (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT));
                if (!ok) {
                    // a wrong JSON type: the error message says what was expected (JsonErrors)
                    throw MismatchedInputException.from(p, type, "wrong JSON type");
                }
                try {
                    return parse.apply(p.getText());
                } catch (IllegalArgumentException e) {
                    throw JsonMappingException.from(p, e.getMessage() + "; expected " + JsonErrors.expected(type));
                }
            }
        };
    }
}
