package io.dln.llm;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential back-off with jitter between retries. A server's Retry-After (or OpenAI's retry-after-ms) is honoured by
 * the refused call alone (its wait is at least that long; other calls go on) unless it exceeds {@code maxRetryAfter}, in
 * which case the call fails instead of stalling. The first retry of a lone server error, while the backend's other recent
 * attempts mostly succeed, goes at once rather than after this back-off (see {@code CallGuard}).
 */
public record RetryPolicy(Duration initialDelay, double multiplier, Duration maxDelay, Duration maxRetryAfter) {

    /**
     * First retry after 50–100 ms: a server error answered at once is most often a fault of that one request, and a server
     * that is overloaded says so with 429 or 503 and a Retry-After, which wins. Further retries back off exponentially.
     * A 429 or 503 without Retry-After gets this same back-off, not seconds: a server that refuses without saying how long
     * is usually asking for a brief pause (a slot of its concurrency limit or its token bucket frees within a fraction of
     * a call's time), and one that keeps refusing meets the exponential growth (50–100 ms, then 150–300, 450–900 ms, ...).
     */
    public static final RetryPolicy DEFAULT =
            new RetryPolicy(Duration.ofMillis(100), 3.0, Duration.ofSeconds(30), Duration.ofMinutes(2));

    public RetryPolicy {
        if (initialDelay == null || initialDelay.isNegative()) throw new IllegalArgumentException("initialDelay must not be negative");
        if (!(multiplier >= 1)) throw new IllegalArgumentException("multiplier must be at least 1, was " + multiplier);
        if (maxDelay == null || maxDelay.compareTo(initialDelay) < 0) throw new IllegalArgumentException("maxDelay must be at least initialDelay");
        if (maxRetryAfter == null || maxRetryAfter.isNegative()) throw new IllegalArgumentException("maxRetryAfter must not be negative");
    }

    /** Fast back-off for tests and local servers. */
    public static RetryPolicy quick() {
        return new RetryPolicy(Duration.ofMillis(10), 2.0, Duration.ofMillis(100), Duration.ofSeconds(10));
    }

    /**
     * The wait before retry number {@code retry} (1-based): a random time between half and all of the
     * exponential delay, so that clients failing together do not retry together.
     */
    public Duration delayBeforeRetry(int retry, Duration retryAfter) {
        double full = Math.min(maxDelay.toNanos(), initialDelay.toNanos() * Math.pow(multiplier, retry - 1));
        long jittered = (long) (full / 2 + ThreadLocalRandom.current().nextDouble() * full / 2);
        Duration backoff = Duration.ofNanos(jittered);
        return retryAfter != null && retryAfter.compareTo(backoff) > 0 ? retryAfter : backoff;
    }

    public boolean tooLongToWait(Duration retryAfter) {
        return retryAfter != null && retryAfter.compareTo(maxRetryAfter) > 0;
    }
}
