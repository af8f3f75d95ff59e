package io.dln.llm;

import java.time.Duration;
import java.util.Optional;

/**
 * A call to a backend failed. Carries the backend's name, the HTTP status (0 when no response came back)
 * and the server's own error message, so the person reading it can act on it. Never carries the API key.
 */
public class LlmBackendException extends RuntimeException {

    /** Why the call failed. */
    public enum Failure {
        /** The server answered with a non-2xx status. */
        HTTP_STATUS,
        /** No complete answer within the configured timeout. */
        TIMEOUT,
        /** The server could not be reached or dropped the connection. */
        CONNECTION,
        /** The server answered 2xx with something this client cannot use. */
        BAD_RESPONSE
    }

    private final String backend;
    private final LlmOperation operation;
    private final Failure failure;
    private final int status;
    private final String serverMessage;
    private final Duration retryAfter;
    private final int attempts;

    public LlmBackendException(String backend, LlmOperation operation, Failure failure, int status,
                               String serverMessage, Duration retryAfter, int attempts, Throwable cause) {
        super(describe(backend, operation, failure, status, serverMessage, attempts), cause);
        this.backend = backend;
        this.operation = operation;
        this.failure = failure;
        this.status = status;
        this.serverMessage = serverMessage;
        this.retryAfter = retryAfter;
        this.attempts = attempts;
    }

    static LlmBackendException badResponse(String backend, LlmOperation operation, String problem) {
        return new LlmBackendException(backend, operation, Failure.BAD_RESPONSE, 0, problem, null, 1, null);
    }

    public String backend() {
        return backend;
    }

    public LlmOperation operation() {
        return operation;
    }

    public Failure failure() {
        return failure;
    }

    /** The HTTP status, or 0 when the failure was not an HTTP answer. */
    public int status() {
        return status;
    }

    /** The server's error message (or a description of the transport failure). */
    public String serverMessage() {
        return serverMessage;
    }

    /** How long the server asked to wait before retrying, if it said. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** How many attempts were made before giving up. */
    public int attempts() {
        return attempts;
    }

    /** 429, 408, 5xx, timeouts and connection failures are worth retrying; other answers will not change. */
    public boolean retryable() {
        return switch (failure) {
            case TIMEOUT, CONNECTION -> true;
            case HTTP_STATUS -> status == 429 || status == 408 || status >= 500;
            case BAD_RESPONSE -> false;
        };
    }

    /** The same failure, attributed to {@code op} after {@code made} attempts (the transport knows neither). */
    LlmBackendException as(LlmOperation op, int made) {
        if (made == attempts && op == operation) return this;
        var copy = new LlmBackendException(backend, op, failure, status, serverMessage, retryAfter, made, getCause());
        copy.setStackTrace(getStackTrace());
        return copy;
    }

    private static String describe(String backend, LlmOperation operation, Failure failure, int status,
                                   String serverMessage, int attempts) {
        String what = switch (failure) {
            case HTTP_STATUS -> "HTTP " + status;
            case TIMEOUT -> "timed out";
            case CONNECTION -> "connection failed";
            case BAD_RESPONSE -> "unusable response";
        };
        String tries = attempts > 1 ? " (after " + attempts + " attempts)" : "";
        return "backend '" + backend + "' " + operationName(operation) + ": " + what + tries + ": " + serverMessage;
    }

    private static String operationName(LlmOperation operation) {
        return switch (operation) {
            case GENERATE -> "generation";
            case LOG_PROBABILITY -> "echo log-probability";
            case CLASS_DISTRIBUTION -> "top-k log-probability";
            case PROBE -> "capability probe";
        };
    }
}
