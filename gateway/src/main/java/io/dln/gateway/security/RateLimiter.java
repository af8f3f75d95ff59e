package io.dln.gateway.security;

import io.dln.gateway.common.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.ConcurrentHashMap;

/** One token bucket per key, in memory: each gateway instance limits the requests it serves itself. */
@ApplicationScoped
public class RateLimiter {

    private final GatewayConfig.RateLimit defaults;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(GatewayConfig config) {
        this.defaults = config.rateLimit();
    }

    /** Takes one request's token; returns 0 when granted, else the nanoseconds until one is free. */
    public long acquire(Caller caller) {
        double rate = caller.requestsPerSecond() != null ? caller.requestsPerSecond() : defaults.requestsPerSecond();
        int burst = caller.burst() != null ? caller.burst() : defaults.burst();
        Bucket bucket = buckets.computeIfAbsent(caller.bucket(), k -> new Bucket(rate, burst));
        return bucket.take(rate, burst, System.nanoTime());
    }

    static final class Bucket {
        private double tokens;
        private long updated;

        Bucket(double rate, int burst) {
            tokens = burst;
            updated = System.nanoTime();
        }

        synchronized long take(double ratePerSecond, int burst, long now) {
            tokens = Math.min(burst, tokens + (now - updated) / 1e9 * ratePerSecond);
            updated = now;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return (long) Math.ceil((1 - tokens) / ratePerSecond * 1e9);
        }
    }
}
