package io.dln.simulator.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ConcurrentHashMap;

/** Counts requests by endpoint and outcome: simulator_requests_total{endpoint, outcome}. */
@ApplicationScoped
public class RequestMetrics {

    private final MeterRegistry registry;
    private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();

    public RequestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void count(String endpoint, String outcome) {
        counters.computeIfAbsent(endpoint + ' ' + outcome, k -> Counter.builder("simulator.requests")
                .description("Requests served by the LLM simulator")
                .tag("endpoint", endpoint)
                .tag("outcome", outcome)
                .register(registry)).increment();
    }

    /** The endpoint tag for a request path. */
    public static String endpoint(String path) {
        if (path.contains("chat/completions")) return "chat";
        if (path.contains("completions")) return "completions";
        if (path.contains("models")) return "models";
        return "other";
    }
}
