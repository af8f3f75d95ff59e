package io.dln.backends.config;

import io.dln.llm.AttemptTiming;
import io.dln.llm.BackendConfig;
import io.dln.llm.CapabilityOverrides;

/** Turns the typed Quarkus configuration into the client's {@link BackendConfig}, which validates it. */
public final class BackendConfigs {

    private BackendConfigs() {
    }

    public static BackendConfig toClientConfig(String name, BackendsConfig.Backend b) {
        BackendsConfig.CapabilityOverrides c = b.capabilities();
        var overrides = new CapabilityOverrides(c.generation().orElse(null), c.echo().orElse(null),
                c.topLogprobs().orElse(null), c.maxTopLogprobs().orElse(null));
        return new BackendConfig(name, b.kind(), b.baseUrl(), b.model(), b.apiKeyEnv().orElse(null),
                b.maxConcurrentRequests(), b.requestsPerSecond(), b.tokensPerMinute(), b.timeout(), b.maxRetries(),
                b.maxPromptsPerCall(), overrides, b.generationApi().orElse(null));
    }

    public static AttemptTiming attemptTiming(BackendsConfig.Backend b) {
        BackendsConfig.AttemptDeadline d = b.attemptDeadline();
        BackendsConfig.Hedging h = b.hedging();
        return new AttemptTiming(d.minSamples(), d.quantile(), d.factor(), d.floor(), h.enabled(), h.quantile(), h.factor(), h.floor());
    }
}
