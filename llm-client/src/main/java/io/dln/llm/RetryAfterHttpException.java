package io.dln.llm;

import dev.langchain4j.exception.HttpException;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A LangChain4j {@link HttpException} that also carries the server's {@code Retry-After}: LangChain4j's own carries
 * status and body only. A model's HTTP client that can see the refused response's headers throws this one (in the
 * services, the LangChain4j extension's REST client, llm-backends), and {@link ForeignChatCalls} hands the wait to the
 * retry policy as {@link HttpTransport} does for its own calls. Being an {@code HttpException}, LangChain4j maps and
 * reports it as any other.
 */
public class RetryAfterHttpException extends HttpException {

    private final Duration retryAfter;

    public RetryAfterHttpException(int statusCode, String body, Duration retryAfter) {
        super(statusCode, body);
        this.retryAfter = retryAfter;
    }

    /** The wait the server asked for, if it said one this client can read. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /**
     * The wait of a response's {@code retry-after-ms} (OpenAI's, more precise) or {@code Retry-After} (seconds or an HTTP
     * date) header values, either null when absent; null when neither is readable.
     */
    public static Duration readRetryAfter(String retryAfterMs, String retryAfter, Instant now) {
        return ServerErrors.retryAfter(retryAfterMs, retryAfter, now);
    }
}
