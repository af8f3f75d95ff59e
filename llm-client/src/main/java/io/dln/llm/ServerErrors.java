package io.dln.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Reads what a server said about a failure: its message and how long it wants us to wait. */
final class ServerErrors {

    private static final int MAX_RAW_BODY = 500;

    private ServerErrors() {
    }

    /**
     * The human message in an error body. Servers disagree on the shape: OpenAI, llama.cpp and Ollama send
     * {"error": {"message": ...}}, older vLLM {"message": ...}, FastAPI {"detail": ...}, some {"error": "..."}.
     */
    static String message(ObjectMapper json, String body) {
        if (body == null || body.isBlank()) return "(empty response body)";
        try {
            JsonNode root = json.readTree(body);
            JsonNode error = root.path("error");
            if (error.isObject() && error.path("message").isTextual()) return error.get("message").asText();
            if (error.isTextual()) return error.asText();
            if (root.path("message").isTextual()) return root.get("message").asText();
            JsonNode detail = root.path("detail");
            if (detail.isTextual()) return detail.asText();
            if (!detail.isMissingNode()) return detail.toString();
        } catch (Exception notJson) {
            // fall through to the raw body
        }
        String raw = body.strip();
        return raw.length() > MAX_RAW_BODY ? raw.substring(0, MAX_RAW_BODY) + "..." : raw;
    }

    /** Retry-After in seconds or as an HTTP date; OpenAI's retry-after-ms when present is more precise. */
    static Duration retryAfter(HttpHeaders headers, Instant now) {
        return retryAfter(headers.firstValue("retry-after-ms").orElse(null), headers.firstValue("retry-after").orElse(null), now);
    }

    /** The same from the two headers' values, either null when absent. */
    static Duration retryAfter(String retryAfterMs, String retryAfter, Instant now) {
        if (retryAfterMs != null) {
            try {
                return Duration.ofMillis(Math.max(0, (long) Double.parseDouble(retryAfterMs.strip())));
            } catch (NumberFormatException ignored) {
                // try the standard header
            }
        }
        return retryAfter == null ? null : parseRetryAfter(retryAfter, now);
    }

    static Duration parseRetryAfter(String value, Instant now) {
        String v = value.strip();
        try {
            double seconds = Double.parseDouble(v);
            return seconds <= 0 ? Duration.ZERO : Duration.ofMillis((long) Math.ceil(seconds * 1000));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration wait = Duration.between(now, at);
                return wait.isNegative() ? Duration.ZERO : wait;
            } catch (DateTimeParseException unreadable) {
                return null;
            }
        }
    }
}
