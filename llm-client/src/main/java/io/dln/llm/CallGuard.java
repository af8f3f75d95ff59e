package io.dln.llm;

import io.dln.core.lm.TokenUsage;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicBoolean;
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
    private final OldestCallFirstGate inFlight;
    private final TokenBucket requests;
    private final TokenBucket tokens;
    private final LatencyWindows latencies;
    private final Duration ceiling;
    private final boolean hedging;
    private final RecentOutcomes outcomes = new RecentOutcomes();

    // Hedges run on threads of their own; a timer starts them at their hedge point.
    private static final ExecutorService ATTEMPTS = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("llm-hedge-", 0).factory());
    private static final ScheduledExecutorService TIMER = hedgeTimer();

    /**
     * Nearly every call answers before its hedge point and cancels its trigger: a cancelled trigger leaves the queue
     * at once, rather than waking the timer's thread at its hedge point, once per call, to be dropped.
     */
    private static ScheduledExecutorService hedgeTimer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "llm-hedge-timer");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    CallGuard(BackendConfig config, RetryPolicy policy, AttemptTiming timing, LlmCallListener listener, ApiKey apiKey) {
        this.backend = config.name();
        this.maxRetries = config.maxRetries();
        this.policy = policy;
        this.listener = listener;
        this.apiKey = apiKey;
        this.inFlight = new OldestCallFirstGate(config.maxConcurrentRequests());
        this.requests = config.requestsPerSecond() > 0
                ? new TokenBucket(Math.max(1, config.requestsPerSecond()), config.requestsPerSecond()) : null;
        this.tokens = config.tokensPerMinute() > 0
                ? new TokenBucket(config.tokensPerMinute(), config.tokensPerMinute() / 60.0) : null;
        this.latencies = new LatencyWindows(timing, config.timeout());
        this.ceiling = config.timeout();
        this.hedging = timing.hedging();
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
                T result = attempt(operation, start, estimatedTokens, timeouts, attempt, usageOf, streamed);
                outcomes.record(true);
                TokenUsage usage = usageOf.apply(result);
                notify(() -> listener.onSuccess(backend, operation, attemptNo, since(start), usage));
                return result;
            } catch (CancellationException e) {
                throw e;
            } catch (RuntimeException e) {
                failure = asBackendException(operation, e).as(operation, attemptNo);
                outcomes.record(false);
            }
            if (failure.failure() == LlmBackendException.Failure.TIMEOUT) timeouts++;
            boolean again = failure.retryable() && attemptNo <= maxRetries
                    && !policy.tooLongToWait(failure.retryAfter().orElse(null));
            if (!again) {
                LlmBackendException last = failure;
                notify(() -> listener.onFailure(backend, operation, attemptNo, since(start), last));
                throw last;
            }
            Duration delay = resendAtOnce(failure, attemptNo) ? Duration.ZERO
                    : policy.delayBeforeRetry(attemptNo, failure.retryAfter().orElse(null));
            LlmBackendException cause = failure;
            LOG.log(System.Logger.Level.DEBUG, () -> "retrying in " + delay.toMillis() + " ms: " + cause.getMessage());
            notify(() -> listener.onRetry(backend, operation, attemptNo, delay, cause));
            sleep(delay);
        }
    }

    /**
     * A server error (other than 503, which says the server is overloaded) or a dropped connection, with no Retry-After,
     * while the backend's other recent attempts mostly succeed, is most likely a fault of that one request: it is sent
     * again at once, on another connection of the pool if this one was dropped. Only the first retry of a call, so a
     * request that keeps failing backs off as before, and never while the backend fails more often.
     */
    private boolean resendAtOnce(LlmBackendException failure, int attemptNo) {
        if (attemptNo != 1 || failure.retryAfter().isPresent()) return false;
        boolean serverFault = switch (failure.failure()) {
            case HTTP_STATUS -> failure.status() >= 500 && failure.status() != 503;
            case CONNECTION -> true;
            case TIMEOUT, BAD_RESPONSE -> false;
        };
        return serverFault && outcomes.healthy();
    }

    private <T> T attempt(LlmOperation operation, long callStart, long estimatedTokens, int timeoutsBefore, Supplier<T> attempt,
                          Function<T, TokenUsage> usageOf, boolean streamed) {
        String kind = LatencyWindows.kind(operation, estimatedTokens);
        LatencyWindows.Limits limits = latencies.limits(kind).widened(timeoutsBefore, ceiling);
        if (streamed || (limits.hedgeAfter().isEmpty() && !(hedging && timeoutsBefore == 0))) {
            return attemptOnce(streamed ? null : kind, callStart, new AttemptContext(limits.deadline()), estimatedTokens, attempt,
                    usageOf, () -> { });
        }
        return hedged(operation, callStart, kind, limits, estimatedTokens, attempt, usageOf);
    }

    /** Until the backend's latencies are known, how long to wait before looking again whether they now give a hedge point. */
    static final Duration UNKNOWN_LATENCY_RECHECK = Duration.ofSeconds(1);

    /**
     * The attempt on the calling thread (no hand-off for the usual call that answers in time); once it has been sending for
     * the hedge point without an answer, the same request on a thread of its own. The first success wins and the other's
     * exchange is aborted; a failure of one counts only when the other has failed too. A hedge refused at once while the
     * first attempt still hangs is sent again (after its Retry-After, if any), up to the call's retries.
     */
    private <T> T hedged(LlmOperation operation, long callStart, String kind, LatencyWindows.Limits limits, long estimatedTokens,
                         Supplier<T> attempt, Function<T, TokenUsage> usageOf) {
        AttemptContext primary = new AttemptContext(limits.deadline());
        AttemptContext hedge = new AttemptContext(limits.deadline());
        CompletableFuture<T> hedgeResult = new CompletableFuture<>();
        AtomicReference<Future<?>> hedgeTask = new AtomicReference<>();
        AtomicReference<ScheduledFuture<?>> trigger = new AtomicReference<>();
        AtomicBoolean settled = new AtomicBoolean();
        long[] sentAt = new long[1];
        Runnable startHedge = () -> {
            if (settled.get()) return;
            Duration after = Duration.ofNanos(System.nanoTime() - sentAt[0]);
            notify(() -> listener.onHedge(backend, operation, after));
            try {
                hedgeTask.set(ATTEMPTS.submit(() -> {
                    // a hedge refused at once (5xx, 429) while the first attempt still hangs is sent again, as a retry
                    // would be, rather than leaving the call to wait for the hung attempt's deadline
                    for (int resent = 0; ; resent++) {
                        try {
                            T result = attemptOnce(kind, callStart, hedge, estimatedTokens, attempt, usageOf, () -> { });
                            if (hedgeResult.complete(result)) primary.cancel();
                            return;
                        } catch (RuntimeException | Error e) {
                            Duration wait = e instanceof RuntimeException r && !(e instanceof CancellationException) && resent < maxRetries
                                    ? resendHedgeAfter(asBackendException(operation, r)) : null;
                            if (wait == null || settled.get()) {
                                hedgeResult.completeExceptionally(e);
                                return;
                            }
                            try {
                                Thread.sleep(wait);
                            } catch (InterruptedException interrupted) {
                                hedgeResult.completeExceptionally(e);
                                return;
                            }
                            notify(() -> listener.onHedge(backend, operation, Duration.ofNanos(System.nanoTime() - sentAt[0])));
                        }
                    }
                }));
            } catch (RuntimeException e) {
                hedgeResult.completeExceptionally(e);
            }
        };
        // A call sent before the backend's latencies were known has no hedge point yet: it looks again now and then
        // (a fresh client's first calls go out together, and one of them may hang while the others teach the latencies).
        Runnable[] recheck = new Runnable[1];
        long[] recheckNanos = {UNKNOWN_LATENCY_RECHECK.toNanos()};
        recheck[0] = () -> {
            if (settled.get()) return;
            Optional<Duration> known = latencies.limits(kind).hedgeAfter();
            long waited = System.nanoTime() - sentAt[0];
            if (known.isPresent()) {
                long rest = known.get().toNanos() - waited;
                if (rest <= 0) startHedge.run();
                else trigger.set(TIMER.schedule(startHedge, rest, TimeUnit.NANOSECONDS));
            } else if (waited + recheckNanos[0] < ceiling.toNanos()) {
                recheckNanos[0] *= 2;
                trigger.set(TIMER.schedule(recheck[0], recheckNanos[0] / 2, TimeUnit.NANOSECONDS));
            }
        };
        try {
            // the hedge point counts from when the request goes out, not from waiting for limits
            return attemptOnce(kind, callStart, primary, estimatedTokens, attempt, usageOf, () -> {
                sentAt[0] = System.nanoTime();
                trigger.set(limits.hedgeAfter().isPresent()
                        ? TIMER.schedule(startHedge, limits.hedgeAfter().get().toNanos(), TimeUnit.NANOSECONDS)
                        : TIMER.schedule(recheck[0], recheckNanos[0], TimeUnit.NANOSECONDS));
            });
        } catch (RuntimeException e) {
            boolean hedgeWon = primary.cancelled();
            if (e instanceof CancellationException && !hedgeWon) throw e; // the caller was interrupted
            if (!hedgeWon && !hedgeStarted(hedgeTask, trigger, settled)) throw e; // failed before its hedge point: no hedge
            try {
                return hedgeResult.get();
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted while waiting for backend '" + backend + "'");
            } catch (ExecutionException hedgeFailed) {
                throw e; // both failed: the first attempt's failure is the one to retry
            }
        } finally {
            settled.set(true);
            ScheduledFuture<?> t = trigger.get();
            if (t != null) t.cancel(false);
            hedge.cancel();
            Future<?> task = hedgeTask.get();
            if (task != null) task.cancel(true); // our own thread: also wakes it if it still waits for limits
        }
    }

    /** How long a failed hedge waits before it is sent again (its Retry-After, if any), or null when it should not be. */
    private Duration resendHedgeAfter(LlmBackendException failure) {
        if (!failure.retryable() || failure.failure() == LlmBackendException.Failure.TIMEOUT) return null;
        Duration retryAfter = failure.retryAfter().orElse(null);
        if (policy.tooLongToWait(retryAfter)) return null;
        return retryAfter != null ? retryAfter : resendAtOnce(failure, 1) ? Duration.ZERO : policy.delayBeforeRetry(1, null);
    }

    /**
     * Whether a hedge has been sent or is being sent; if not, none will be (the pending trigger is cancelled). A trigger
     * that already runs either starts the hedge, so its task appears, or finds the call settled.
     */
    private static boolean hedgeStarted(AtomicReference<Future<?>> hedgeTask, AtomicReference<ScheduledFuture<?>> trigger,
                                        AtomicBoolean settled) {
        if (hedgeTask.get() != null) return true;
        ScheduledFuture<?> t = trigger.get();
        if (t == null || t.cancel(false)) {
            settled.set(true);
            return hedgeTask.get() != null;
        }
        // the trigger ran or is running: wait for it to finish deciding
        try {
            t.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | CancellationException ignored) {
            // it failed to start the hedge: nothing to wait for
        }
        settled.set(true);
        return hedgeTask.get() != null;
    }

    /** {@code kind} null: the attempt's latency is not learnt. */
    private <T> T attemptOnce(String kind, long callStart, AttemptContext context, long estimatedTokens, Supplier<T> attempt,
                              Function<T, TokenUsage> usageOf, Runnable sending) {
        double reserved = 0;
        try {
            if (requests != null) requests.acquire(1);
            if (tokens != null) reserved = tokens.acquire(estimatedTokens);
            inFlight.acquire(callStart);
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
