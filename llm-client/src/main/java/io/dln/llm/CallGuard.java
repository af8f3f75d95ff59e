package io.dln.llm;

import io.dln.core.lm.TokenUsage;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs one logical call under the backend's limits: requests/s and tokens/min buckets, a cap on calls
 * in flight, and retries with back-off on retryable failures. Each attempt has a deadline learnt from the
 * backend's recent latencies and, past its hedge point, is sent once more; the first answer wins and the other
 * is cancelled ({@link AttemptTiming}). Reports every outcome to the listener: one success or failure per call,
 * with the winning attempt's usage only, so a hedge never counts tokens twice.
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
    private final LatencyWindows latencies;
    private final Duration ceiling;

    // Hedges run on threads of their own; a timer starts them at their hedge point.
    private static final ExecutorService ATTEMPTS = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("llm-hedge-", 0).factory());
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "llm-hedge-timer");
        t.setDaemon(true);
        return t;
    });

    CallGuard(BackendConfig config, RetryPolicy policy, AttemptTiming timing, LlmCallListener listener, ApiKey apiKey) {
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
        this.latencies = new LatencyWindows(timing, config.timeout());
        this.ceiling = config.timeout();
    }

    /**
     * @param estimatedTokens what the call is expected to consume, reserved against tokens/min before it
     *                        starts and corrected by the server's usage once it returns
     */
    <T> T call(LlmOperation operation, long estimatedTokens, Supplier<T> attempt, Function<T, TokenUsage> usageOf) {
        return run(operation, estimatedTokens, attempt, usageOf, false);
    }

    /**
     * The connection phase of a streamed call: limits, retries and the attempt deadline as for {@link #call}, but no
     * hedge (two streams of one answer cannot be merged) and no latency learnt (an attempt ends at the headers, not
     * at the answer). The in-flight slot is held only until the headers are in, and the tokens/min reservation is
     * given back: the usage is known only once the caller has read the stream.
     */
    <T> T connect(LlmOperation operation, long estimatedTokens, Supplier<T> attempt) {
        return run(operation, estimatedTokens, attempt, r -> TokenUsage.NONE, true);
    }

    private <T> T run(LlmOperation operation, long estimatedTokens, Supplier<T> attempt, Function<T, TokenUsage> usageOf,
                      boolean streamed) {
        long start = System.nanoTime();
        int timeouts = 0;
        for (int attempts = 1; ; attempts++) {
            final int attemptNo = attempts;
            LlmBackendException failure;
            try {
                T result = attempt(operation, estimatedTokens, timeouts, attempt, usageOf, streamed);
                TokenUsage usage = usageOf.apply(result);
                notify(() -> listener.onSuccess(backend, operation, attemptNo, since(start), usage));
                return result;
            } catch (CancellationException e) {
                throw e;
            } catch (RuntimeException e) {
                failure = asBackendException(operation, e).as(operation, attemptNo);
            }
            if (failure.failure() == LlmBackendException.Failure.TIMEOUT) timeouts++;
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

    private <T> T attempt(LlmOperation operation, long estimatedTokens, int timeoutsBefore, Supplier<T> attempt,
                          Function<T, TokenUsage> usageOf, boolean streamed) {
        String kind = LatencyWindows.kind(operation, estimatedTokens);
        LatencyWindows.Limits limits = latencies.limits(kind).widened(timeoutsBefore, ceiling);
        if (streamed || limits.hedgeAfter().isEmpty()) {
            return attemptOnce(streamed ? null : kind, new AttemptContext(limits.deadline()), estimatedTokens, attempt,
                    usageOf, () -> { });
        }
        return hedged(operation, kind, limits, estimatedTokens, attempt, usageOf);
    }

    /**
     * The attempt on the calling thread (no hand-off for the usual call that answers in time); once it has been sending for
     * the hedge point without an answer, the same request on a thread of its own. The first success wins and the other's
     * exchange is aborted; a failure of one counts only when the other has failed too.
     */
    private <T> T hedged(LlmOperation operation, String kind, LatencyWindows.Limits limits, long estimatedTokens,
                         Supplier<T> attempt, Function<T, TokenUsage> usageOf) {
        Duration hedgeAfter = limits.hedgeAfter().orElseThrow();
        AttemptContext primary = new AttemptContext(limits.deadline());
        AttemptContext hedge = new AttemptContext(limits.deadline());
        CompletableFuture<T> hedgeResult = new CompletableFuture<>();
        AtomicReference<Future<?>> hedgeTask = new AtomicReference<>();
        AtomicReference<ScheduledFuture<?>> trigger = new AtomicReference<>();
        Runnable startHedge = () -> {
            notify(() -> listener.onHedge(backend, operation, hedgeAfter));
            try {
                hedgeTask.set(ATTEMPTS.submit(() -> {
                    try {
                        T result = attemptOnce(kind, hedge, estimatedTokens, attempt, usageOf, () -> { });
                        if (hedgeResult.complete(result)) primary.cancel();
                    } catch (RuntimeException | Error e) {
                        hedgeResult.completeExceptionally(e);
                    }
                }));
            } catch (RuntimeException e) {
                hedgeResult.completeExceptionally(e);
            }
        };
        try {
            // the hedge point counts from when the request goes out, not from waiting for limits
            return attemptOnce(kind, primary, estimatedTokens, attempt, usageOf,
                    () -> trigger.set(TIMER.schedule(startHedge, hedgeAfter.toNanos(), TimeUnit.NANOSECONDS)));
        } catch (RuntimeException e) {
            boolean hedgeWon = primary.cancelled();
            if (e instanceof CancellationException && !hedgeWon) throw e; // the caller was interrupted
            ScheduledFuture<?> t = trigger.get();
            if (!hedgeWon && (t == null || t.cancel(false))) throw e; // failed before its hedge point: no hedge
            try {
                return hedgeResult.get();
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted while waiting for backend '" + backend + "'");
            } catch (ExecutionException hedgeFailed) {
                throw e; // both failed: the first attempt's failure is the one to retry
            }
        } finally {
            ScheduledFuture<?> t = trigger.get();
            if (t != null) t.cancel(false);
            hedge.cancel();
            Future<?> task = hedgeTask.get();
            if (task != null) task.cancel(true); // our own thread: also wakes it if it still waits for limits
        }
    }

    /** {@code kind} null: the attempt's latency is not learnt. */
    private <T> T attemptOnce(String kind, AttemptContext context, long estimatedTokens, Supplier<T> attempt,
                              Function<T, TokenUsage> usageOf, Runnable sending) {
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
            sending.run();
            long started = System.nanoTime();
            T result = context.run(attempt);
            if (kind != null) latencies.record(kind, System.nanoTime() - started);
            charge = usageOf.apply(result).total();
            return result;
        } finally {
            inFlight.release();
            // A failed or cancelled attempt gives its reservation back: servers do not bill refused requests.
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
