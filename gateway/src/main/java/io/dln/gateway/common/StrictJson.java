package io.dln.gateway.common;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

import java.io.IOException;

/**
 * How every JSON body is read: numbers must be finite JSON numbers ("NaN", "Infinity", as strings or literals, are
 * refused naming the field), and no scalar becomes another kind: 1.5 is no integer, 123 no string, "5" no number,
 * 1 no boolean. Jackson's lenient defaults would turn such client mistakes into values nobody sent.
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        configure(mapper);
    }

    /** Also for the gateway's own mappers (settings read field by field). */
    public static ObjectMapper configure(ObjectMapper mapper) {
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Integer)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Float)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Boolean)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        SimpleModule finite = new SimpleModule("finite-numbers");
        finite.addDeserializer(Double.class, new FiniteDouble<>(Double.class, false));
        finite.addDeserializer(double.class, new FiniteDouble<>(double.class, true));
        finite.addDeserializer(Float.class, new FiniteDouble<>(Float.class, false));
        finite.addDeserializer(float.class, new FiniteDouble<>(float.class, true));
        finite.addDeserializer(String.class, new StorableString());
        mapper.registerModule(finite);
        return mapper;
    }

    /** A string PostgreSQL can store ({@link StorableText}); other JSON values as Jackson's coercion rules say. */
    static final class StorableString extends StdScalarDeserializer<String> {

        private final StringDeserializer strings = StringDeserializer.instance;

        StorableString() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser p, DeserializationContext context) throws IOException {
            String text = strings.deserialize(p, context);
            String problem = StorableText.problem(text);
            if (problem != null) return context.reportInputMismatch(this, problem);
            return text;
        }

        @Override
        public LogicalType logicalType() {
            return LogicalType.Textual;
        }
    }

    /** A double or float from a JSON number only, and only a finite one. */
    static final class FiniteDouble<T> extends StdScalarDeserializer<T> {

        /** What a client means by a non-finite number when it sends one as a string. */
        private static final java.util.Set<String> NON_FINITE = java.util.Set.of("NaN", "Infinity", "+Infinity", "-Infinity");
        private final boolean primitive;

        FiniteDouble(Class<T> type, boolean primitive) {
            super(type);
            this.primitive = primitive;
        }

        @Override
        @SuppressWarnings("unchecked")
        public T deserialize(JsonParser p, DeserializationContext context) throws IOException {
            JsonToken token = p.currentToken();
            if (token == JsonToken.VALUE_STRING && NON_FINITE.contains(p.getText().strip())) {
                return context.reportInputMismatch(this, "must be a finite number (NaN and Infinity are not accepted)");
            }
            if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
                return (T) context.handleUnexpectedToken(handledType(), p);
            }
            double value = p.getDoubleValue();
            boolean isFloat = handledType() == Float.class || handledType() == float.class;
            if (!Double.isFinite(value) || (isFloat && !Float.isFinite((float) value))) {
                return context.reportInputMismatch(this, "must be a finite number (NaN and Infinity are not accepted)");
            }
            Object boxed = isFloat ? Float.valueOf((float) value) : Double.valueOf(value);
            return (T) boxed;
        }

        @Override
        public T getNullValue(DeserializationContext context) throws JsonMappingException {
            if (primitive) return context.reportInputMismatch(this, "must be a number, not null");
            return null;
        }
    }
}
