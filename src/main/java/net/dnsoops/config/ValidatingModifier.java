package net.dnsoops.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import java.io.IOException;

/** Runs {@link Validated#validate()} right after a section is read, so errors keep their location. */
final class ValidatingModifier extends BeanDeserializerModifier {
    @Override
    public JsonDeserializer<?> modifyDeserializer(DeserializationConfig config, BeanDescription desc,
                                                  JsonDeserializer<?> deserializer) {
        if (!Validated.class.isAssignableFrom(desc.getBeanClass())) return deserializer;
        return new Validating(deserializer);
    }

    private static final class Validating extends DelegatingDeserializer {
        Validating(JsonDeserializer<?> d) {
            super(d);
        }

        @Override
        protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> newDelegatee) {
            return new Validating(newDelegatee);
        }

        @Override
        public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonLocation start = p.currentTokenLocation();
            Object value = super.deserialize(p, ctxt);
            try {
                ((Validated) value).validate();
            } catch (IllegalArgumentException e) {
                throw new JsonMappingException(p, e.getMessage(), start);
            }
            return value;
        }
    }
}
