package io.dln.gateway.inference;

import java.util.List;
import io.quarkus.runtime.Startup;
import io.dln.core.lm.TokenUsage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code dln.gateway.inference} (timer; tags api = predict|chat, outcome = ok|error) and
 * {@code dln.gateway.inference.tokens} (counter; tags api, kind = prompt|completion), registered at zero when the
 * gateway starts so that the dashboard's inference panels have their series before the first call.
 */
@Startup
@ApplicationScoped
public class InferenceMetrics {

    public static final String LATENCY = "dln.gateway.inference";
    public static final String TOKENS = "dln.gateway.inference.tokens";

    private final MeterRegistry registry;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public InferenceMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (String api : List.of("predict", "chat")) {
            timer(api, "ok");
            timer(api, "error");
            tokens(api, "prompt");
            tokens(api, "completion");
        }
    }

    public void record(String api, boolean ok, long nanos, TokenUsage usage) {
        timer(api, ok ? "ok" : "error").record(Duration.ofNanos(nanos));
        if (usage != null) {
            tokens(api, "prompt").increment(usage.promptTokens());
            tokens(api, "completion").increment(usage.completionTokens());
        }
    }

    private Timer timer(String api, String outcome) {
        return timers.computeIfAbsent(api + '/' + outcome, k -> Timer.builder(LATENCY)
                .description("Inference requests, from resolving the model to the last backend answer")
                .tags("api", api, "outcome", outcome)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(2))
                .register(registry));
    }

    private Counter tokens(String api, String kind) {
        return counters.computeIfAbsent(api + '/' + kind, k -> Counter.builder(TOKENS)
                .description("Tokens inference used, as the backends reported them")
                .tags("api", api, "kind", kind).register(registry));
    }
}
