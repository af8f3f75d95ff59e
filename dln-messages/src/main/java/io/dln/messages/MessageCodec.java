package io.dln.messages;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
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

    /** Results carry log-probabilities: read with Jackson's fast double parser (the same doubles as the JDK's). */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
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

    /** The message as UTF-8 JSON, written straight to bytes: what goes on the wire, with no string in between. */
    public static byte[] toBytes(Object message) {
        try {
            return JSON.writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + message.getClass().getSimpleName(), e);
        }
    }

    /** Decodes a message from UTF-8 JSON bytes; an {@link InvalidMessageException} says what is wrong with one that cannot be read. */
    public static <T> T fromBytes(byte[] json, Class<T> type) {
        if (json == null) throw new InvalidMessageException("the message has no body");
        try {
            return JSON.readValue(json, type);
        } catch (java.io.IOException e) {
            String reason = e instanceof JsonProcessingException p ? p.getOriginalMessage() : e.getMessage();
            throw new InvalidMessageException("not a valid " + type.getSimpleName() + ": " + reason);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InvalidMessageException("not a valid " + type.getSimpleName() + ": " + e.getMessage());
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

    /** What a single-call request asks, without who asks it: equal for repeats, so it keys caches and partitions. */
    public static String contentKey(LlmRequest request) {
        return contentKey(request.backend(), request.operation(), request.calls().getFirst().payload(request.operation()));
    }

    /** What one call asks of {@code backend}, without who asks it: equal for repeats, so it keys caches and partitions. */
    public static String contentKey(String backend, Operation operation, Object payload) {
        MessageDigest digest = sha256();
        digest.update((backend + '\u0000' + operation + '\u0000').getBytes(StandardCharsets.UTF_8));
        digest.update(toBytes(payload));
        return HexFormat.of().formatHex(digest.digest(), 0, 16);
    }

    /** The partition a call's content key goes to: the same content, the same partition, so one worker's cache serves repeats. */
    public static int partitionOf(String contentKey, int partitions) {
        return Math.floorMod(contentKey.hashCode(), partitions);
    }

    public static String sha256(String text) {
        return HexFormat.of().formatHex(sha256().digest(text.getBytes(StandardCharsets.UTF_8)), 0, 16);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ObjectMapper mapper() {
        return JSON;
    }
}
