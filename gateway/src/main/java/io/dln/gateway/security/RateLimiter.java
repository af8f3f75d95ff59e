package io.dln.gateway.security;

import io.dln.gateway.common.GatewayConfig;
import io.dln.gateway.tenants.Ceiling;
import io.dln.gateway.tenants.Ceilings;
import io.github.bucket4j.Bucket;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Requests per caller (a key's own rate, else the gateway's default, never above its tenant's ceiling) and per
 * tenant (all its callers together, at the tenant's ceiling). In memory: each gateway instance limits what it serves.
 */
@ApplicationScoped
public class RateLimiter {

    private final GatewayConfig.RateLimit defaults;
    private final Ceilings ceilings;
    private final TokenBuckets callers = new TokenBuckets(100_000);
    private final TokenBuckets tenants = new TokenBuckets(100_000);

    public RateLimiter(GatewayConfig config, Ceilings ceilings) {
        this.defaults = config.rateLimit();
        this.ceilings = ceilings;
    }

    /** Takes one request's token; returns 0 when granted, else the nanoseconds until one is free. */
    public long acquire(Caller caller) {
        Ceiling ceiling = ceilings.of(caller.tenant());
        Bucket own = callers.get(caller.bucket(), k -> {
            double rate = caller.requestsPerSecond() != null ? caller.requestsPerSecond() : defaults.requestsPerSecond();
            int burst = caller.burst() != null ? caller.burst() : defaults.burst();
            return caller.operator() ? TokenBuckets.bucket(rate, burst)
                    : TokenBuckets.bucket(Math.min(rate, ceiling.maxRequestsPerSecond()), Math.min(burst, ceiling.maxBurst()));
        });
        long wait = TokenBuckets.take(own);
        if (wait > 0 || caller.operator()) return wait;
        Bucket tenant = tenants.get(caller.tenant(), k -> TokenBuckets.bucket(ceiling.maxRequestsPerSecond(), ceiling.maxBurst()));
        wait = TokenBuckets.take(tenant);
        if (wait > 0) own.addTokens(1);
        return wait;
    }
}
