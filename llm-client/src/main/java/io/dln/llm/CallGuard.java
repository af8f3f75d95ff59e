package io.dln.llm;

import io.dln.core.lm.TokenUsage;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs one logical call under the backend's limits: requests/s and tokens/min buckets, a cap on calls
 * in flight, and retries with back-off on retryable failures. Reports every outcome to the listener.
 */
final class CallGuard {

    private static final System.Logger LOG = System.getLogger(CallGuard.class.getName());

    private final String backend;
    private final int maxRetries;
    private final RetryPolicy policy;
    private final LlmCallListener listener;
    private final ApiKey apiKey;
    private final Semaphore inFlight;
    private final TokenBucket requests;
    private final TokenBucket tokens;

    CallGuard(BackendConfig config, RetryPolicy policy, LlmCallListener listener, ApiKey apiKey) {
        this.backend = config.name();
        this.maxRetries = config.maxRetries();
        this.policy = policy;
        this.listener = listener;
        this.apiKey = apiKey;
        this.inFlight = new Semaphore(config.maxConcurrentRequests(), true);
        this.requests = config.requestsPerSecond() > 0
                ? new TokenBucket(Math.max(1, config.requestsPerSecond()), config.requestsPerSecond()) : null;
        this.tokens = config.tokensPerMinute() > 0
                ? new TokenBucket(config.tokensPerMinute(), config.tokensPerMinute() / 60.0) : null;
    }

    /**
     * @param estimatedTokens what the call is expected to consume, reserved against tokens/min before it
     *                        starts and corrected by the server's usage once it returns
     */
    <T> T call(LlmOperation operation, long estimatedTokens, Supplier<T> attempt, Function<T, TokenUsage> usageOf) {
        long start = System.nanoTime();
        for (int attempts = 1; ; attempts++) {
            final int attemptNo = attempts;
            LlmBackendException failure;
            try {
                T result = attemptOnce(estimatedTokens, attempt, usageOf);
                TokenUsage usage = usageOf.apply(result);
                notify(() -> listener.onSuccess(backend, operation, attemptNo, since(start), usage));
                return result;
            } catch (CancellationException e) {
                throw e;
            } catch (RuntimeException e) {
                failure = asBackendException(operation, e).as(operation, attemptNo);
            }
            boolean again = failure.retryable() && attemptNo <= maxRetries
                    && !policy.tooLongToWait(failure.retryAfter().orElse(null));
            if (!again) {
                LlmBackendException last = failure;
                notify(() -> listener.onFailure(backend, operation, attemptNo, since(start), last));
                throw last;
            }
            Duration delay = policy.delayBeforeRetry(attemptNo, failure.retryAfter().orElse(null));
            LlmBackendException cause = failure;
            LOG.log(System.Logger.Level.DEBUG, () -> "retrying in " + delay.toMillis() + " ms: " + cause.getMessage());
            notify(() -> listener.onRetry(backend, operation, attemptNo, delay, cause));
            sleep(delay);
        }
    }

    private <T> T attemptOnce(long estimatedTokens, Supplier<T> attempt,
                              Function<T, TokenUsage> usageOf) {
        double reserved = 0;
        try {
            if (requests != null) requests.acquire(1);
            if (tokens != null) reserved = tokens.acquire(estimatedTokens);
            inFlight.acquire();
        } catch (InterruptedException e) {
            if (tokens != null) tokens.adjust(-reserved);
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for backend '" + backend + "' limits");
        }
        double charge = 0; // what the attempt really cost, known only when it succeeds
        try {
            T result = attempt.get();
            charge = usageOf.apply(result).total();
            return result;
        } finally {
            inFlight.release();
            // A failed attempt gives its reservation back: servers do not bill refused requests.
            if (tokens != null) tokens.adjust(charge - reserved);
        }
    }

    private LlmBackendException asBackendException(LlmOperation operation, RuntimeException e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof LlmBackendException backendException) return backendException;
            if (c.getCause() == c) break;
        }
        String detail = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        return new LlmBackendException(backend, operation, LlmBackendException.Failure.BAD_RESPONSE, 0,
                apiKey.scrub(detail), null, 1, apiKey.appearsIn(e) ? null : e);
    }

    private void notify(Runnable event) {
        try {
            event.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "LLM call listener failed; ignoring", e);
        }
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    private void sleep(Duration delay) {
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while backing off from backend '" + backend + "'");
        }
    }
}
