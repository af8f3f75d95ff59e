package io.dln.gateway.security;

import io.dln.gateway.common.GatewayConfig;
import io.github.bucket4j.Bucket;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Failed authentications per client address: each failure takes a token; an address without tokens is refused
 * before its key is looked up, so that guessing keys costs neither database reads nor CPU beyond a hash.
 */
@ApplicationScoped
public class FailedAuthentications {

    private final GatewayConfig.FailedAuthentication config;
    private final TokenBuckets addresses = new TokenBuckets(100_000);

    public FailedAuthentications(GatewayConfig config) {
        this.config = config.security().failedAuthentication();
    }

    /** 0 when the address may try, else the nanoseconds until it may. */
    public long waitNanos(String address) {
        Bucket bucket = bucket(address);
        return bucket.getAvailableTokens() > 0 ? 0 : Math.max(1, bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill());
    }

    public void failed(String address) {
        bucket(address).tryConsume(1);
    }

    private Bucket bucket(String address) {
        return addresses.get(address, k -> TokenBuckets.bucket(config.perSecond(), config.burst()));
    }
}
