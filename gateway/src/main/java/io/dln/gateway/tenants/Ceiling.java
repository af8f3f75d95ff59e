package io.dln.gateway.tenants;

import java.util.Set;

/**
 * What the operator lets one tenant have: its keys, the request rate of all its callers together and of any one
 * key, its runs in progress, its tokens per day (0: no ceiling), and the LLM backends it may use ({@code backends}
 * null: all configured ones).
 */
public record Ceiling(int maxKeys, double maxRequestsPerSecond, int maxBurst, int maxConcurrentRuns, long maxTokensPerDay,
                      Set<String> backends) {

    public boolean tokensLimited() {
        return maxTokensPerDay > 0;
    }

    public boolean allows(String backend) {
        return backends == null || backends.contains(backend);
    }
}
