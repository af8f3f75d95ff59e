package io.dln.scorer.metrics;

import io.dln.messages.Operation;
import io.dln.scorer.cache.ResultCache;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code dln.scorer.cache} (tags result=hit|miss, backend), the gauge {@code dln.scorer.cache.entries} and
 * {@code dln.scorer.batch.size} (requests per backend call, tags backend, operation).
 */
@ApplicationScoped
public class ScorerMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> cacheHits = new ConcurrentHashMap<>();
    private final Map<String, Counter> cacheMisses = new ConcurrentHashMap<>();

    @Inject
    public ScorerMetrics(MeterRegistry registry, ResultCache cache) {
        this.registry = registry;
        Gauge.builder("dln.scorer.cache.entries", cache, ResultCache::size)
                .description("Score results held in the cache").strongReference(true).register(registry);
    }

    /** Told for every call scored: its counters are kept per backend rather than looked up in the registry each time. */
    public void cache(String backend, boolean hit) {
        (hit ? cacheHits : cacheMisses).computeIfAbsent(backend, b -> cacheCounter(b, hit ? "hit" : "miss")).increment();
    }

    private Counter cacheCounter(String backend, String result) {
        return Counter.builder("dln.scorer.cache").description("Score requests answered from the cache (hit) or by a backend call (miss)")
                .tags("result", result, "backend", backend).register(registry);
    }

    public void batch(String backend, Operation operation, int size) {
        DistributionSummary.builder("dln.scorer.batch.size").description("Score requests sent to a backend together")
                .tags("backend", backend, "operation", operation.name().toLowerCase(Locale.ROOT))
                .register(registry).record(size);
    }
}
