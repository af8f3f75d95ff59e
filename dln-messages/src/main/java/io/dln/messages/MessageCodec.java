package io.dln.messages;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** JSON encoding of the messages, and content hashes used as keys. */
public final class MessageCodec {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(MapperFeature.AUTO_DETECT_IS_GETTERS)
            .build();

    private MessageCodec() {
    }

    public static String toJson(Object message) {
        try {
            return JSON.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + message.getClass().getSimpleName(), e);
        }
    }

    /** Decodes a message; an {@link InvalidMessageException} says what is wrong with one that cannot be read. */
    public static <T> T fromJson(String json, Class<T> type) {
        if (json == null) throw new InvalidMessageException("the message has no body");
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new InvalidMessageException("not a valid " + type.getSimpleName() + ": " + e.getOriginalMessage());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InvalidMessageException("not a valid " + type.getSimpleName() + ": " + e.getMessage());
        }
    }

    /** What the request asks, without who asks it: equal for repeats, so it keys caches and partitions. */
    public static String contentKey(LlmRequest request) {
        Object payload = switch (request.operation()) {
            case GENERATE -> request.generation();
            case LOG_PROBABILITY -> request.logProbability();
            case CLASS_DISTRIBUTION -> request.classDistribution();
        };
        return sha256(request.backend() + '\u0000' + request.operation() + '\u0000' + toJson(payload));
    }

    public static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ObjectMapper mapper() {
        return JSON;
    }
}
