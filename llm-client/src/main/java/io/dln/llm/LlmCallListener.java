package io.dln.llm;

import io.dln.core.lm.TokenUsage;

import java.time.Duration;
import java.util.List;

/**
 * Observes calls to backends, e.g. to feed Micrometer. A "call" is one logical HTTP request; its
 * retries are reported separately. Listeners run on the calling thread and must be quick; an exception
 * thrown by a listener is logged and ignored.
 */
public interface LlmCallListener {

    LlmCallListener NONE = new LlmCallListener() {
    };

    /** The call succeeded after {@code attempts} attempts and consumed {@code usage}. */
    default void onSuccess(String backend, LlmOperation operation, int attempts, Duration elapsed, TokenUsage usage) {
    }

    /** Attempt number {@code attempt} failed with a retryable error; the next starts after {@code delay}. */
    default void onRetry(String backend, LlmOperation operation, int attempt, Duration delay, LlmBackendException cause) {
    }

    /** An attempt got no answer within {@code after} and the same request was sent once more (hedged). */
    default void onHedge(String backend, LlmOperation operation, Duration after) {
    }

    /** The call failed for good. */
    default void onFailure(String backend, LlmOperation operation, int attempts, Duration elapsed, LlmBackendException error) {
    }

    static LlmCallListener all(List<LlmCallListener> listeners) {
        List<LlmCallListener> copy = List.copyOf(listeners);
        return new LlmCallListener() {
            @Override
            public void onSuccess(String backend, LlmOperation operation, int attempts, Duration elapsed, TokenUsage usage) {
                copy.forEach(l -> l.onSuccess(backend, operation, attempts, elapsed, usage));
            }

            @Override
            public void onRetry(String backend, LlmOperation operation, int attempt, Duration delay, LlmBackendException cause) {
                copy.forEach(l -> l.onRetry(backend, operation, attempt, delay, cause));
            }

            @Override
            public void onHedge(String backend, LlmOperation operation, Duration after) {
                copy.forEach(l -> l.onHedge(backend, operation, after));
            }

            @Override
            public void onFailure(String backend, LlmOperation operation, int attempts, Duration elapsed, LlmBackendException error) {
                copy.forEach(l -> l.onFailure(backend, operation, attempts, elapsed, error));
            }
        };
    }
}
