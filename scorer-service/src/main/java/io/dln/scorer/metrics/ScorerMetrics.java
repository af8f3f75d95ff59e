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

/**
 * {@code dln.scorer.cache} (tags result=hit|miss, backend), the gauge {@code dln.scorer.cache.entries} and
 * {@code dln.scorer.batch.size} (requests per backend call, tags backend, operation).
 */
@ApplicationScoped
public class ScorerMetrics {

    private final MeterRegistry registry;

    @Inject
    public ScorerMetrics(MeterRegistry registry, ResultCache cache) {
        this.registry = registry;
        Gauge.builder("dln.scorer.cache.entries", cache, ResultCache::size)
                .description("Score results held in the cache").strongReference(true).register(registry);
    }

    public void cache(String backend, boolean hit) {
        Counter.builder("dln.scorer.cache").description("Score requests answered from the cache (hit) or by a backend call (miss)")
                .tags("result", hit ? "hit" : "miss", "backend", backend).register(registry).increment();
    }

    public void batch(String backend, Operation operation, int size) {
        DistributionSummary.builder("dln.scorer.batch.size").description("Score requests sent to a backend together")
                .tags("backend", backend, "operation", operation.name().toLowerCase(Locale.ROOT))
                .register(registry).record(size);
    }
}
