package io.dln.gateway.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;

import java.time.Duration;
import java.util.function.Function;

/**
 * Token buckets by name (Bucket4j), held in memory by this gateway instance, each forgotten after ten idle minutes
 * and at most {@code limit} of them, so that callers cannot grow the map without end.
 */
final class TokenBuckets {

    private final Cache<String, Bucket> buckets;

    TokenBuckets(long limit) {
        buckets = Caffeine.newBuilder().maximumSize(limit).expireAfterAccess(Duration.ofMinutes(10)).build();
    }

    Bucket get(String name, Function<String, Bucket> create) {
        return buckets.get(name, create);
    }

    /** Takes a token; 0 when one was there, else the nanoseconds until one is. */
    static long take(Bucket bucket) {
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? 0 : Math.max(1, probe.getNanosToWaitForRefill());
    }

    /** {@code burst} tokens, refilled at {@code perSecond}, smoothly. */
    static Bucket bucket(double perSecond, int burst) {
        int capacity = Math.max(1, burst);
        long refillNanos = Math.max(1, (long) (capacity / perSecond * 1e9));
        return Bucket.builder()
                .addLimit(limit -> limit.capacity(capacity).refillGreedy(capacity, Duration.ofNanos(refillNanos)))
                .build();
    }

    /** Whole seconds to wait, at least 1: what a Retry-After header says. */
    static long seconds(long nanos) {
        return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
    }
}
