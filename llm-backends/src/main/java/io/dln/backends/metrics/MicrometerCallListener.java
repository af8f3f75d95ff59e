package io.dln.backends.metrics;

import io.dln.core.lm.TokenUsage;
import io.dln.llm.LlmBackendException;
import io.dln.llm.LlmCallListener;
import io.dln.llm.LlmOperation;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.Locale;

/**
 * Feeds the client's call events to Micrometer:
 * {@code dln.llm.calls} (timer, tags backend/operation/outcome), {@code dln.llm.retries} (tags backend/operation/cause)
 * {@code dln.llm.hedges} (tags backend/operation: attempts sent again past their hedge point)
 * and {@code dln.llm.tokens} (tags backend/kind=prompt|completion). A call is one logical HTTP request, retries included.
 */
public final class MicrometerCallListener implements LlmCallListener {

    public static final String CALLS = "dln.llm.calls";
    public static final String RETRIES = "dln.llm.retries";
    public static final String TOKENS = "dln.llm.tokens";
    public static final String HEDGES = "dln.llm.hedges";

    private final MeterRegistry registry;

    public MicrometerCallListener(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void onSuccess(String backend, LlmOperation operation, int attempts, Duration elapsed, TokenUsage usage) {
        timer(backend, operation, "ok").record(elapsed);
        tokens(backend, "prompt").increment(usage.promptTokens());
        tokens(backend, "completion").increment(usage.completionTokens());
    }

    @Override
    public void onRetry(String backend, LlmOperation operation, int attempt, Duration delay, LlmBackendException cause) {
        Counter.builder(RETRIES)
                .description("Retries of LLM calls after a retryable failure")
                .tags("backend", backend, "operation", tag(operation), "cause", cause(cause))
                .register(registry).increment();
    }

    @Override
    public void onHedge(String backend, LlmOperation operation, Duration after) {
        Counter.builder(HEDGES)
                .description("LLM requests sent once more because the first attempt had no answer by its hedge point")
                .tags("backend", backend, "operation", tag(operation))
                .register(registry).increment();
    }

    @Override
    public void onFailure(String backend, LlmOperation operation, int attempts, Duration elapsed, LlmBackendException error) {
        timer(backend, operation, "error").record(elapsed);
    }

    private Timer timer(String backend, LlmOperation operation, String outcome) {
        return Timer.builder(CALLS)
                .description("LLM calls (one HTTP request each, including its retries)")
                .tags("backend", backend, "operation", tag(operation), "outcome", outcome)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(2))
                .register(registry);
    }

    private Counter tokens(String backend, String kind) {
        return Counter.builder(TOKENS)
                .description("Tokens the backends reported in their usage fields")
                .tags("backend", backend, "kind", kind)
                .register(registry);
    }

    static String tag(LlmOperation operation) {
        return operation.name().toLowerCase(Locale.ROOT);
    }

    /** Low-cardinality name of a failure: http_429, http_5xx, timeout, connection, bad_response. */
    static String cause(LlmBackendException e) {
        return switch (e.failure()) {
            case HTTP_STATUS -> e.status() >= 500 ? "http_5xx" : "http_" + e.status();
            case TIMEOUT -> "timeout";
            case CONNECTION -> "connection";
            case BAD_RESPONSE -> "bad_response";
        };
    }
}
