package io.dln.scorer.batch;

import io.dln.backends.registry.BackendRegistry;
import io.dln.messages.Operation;
import io.dln.scorer.metrics.ScorerMetrics;
import io.dln.worker.batch.BackendBatchers;
import io.dln.worker.config.WorkerConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The scorer's backend batches ({@link BackendBatchers}), their sizes counted in {@code dln.scorer.batch.size}. */
@ApplicationScoped
public class Batchers {

    private final BackendBatchers batchers;

    @Inject
    public Batchers(BackendRegistry backends, WorkerConfig config, ScorerMetrics metrics) {
        this.batchers = new BackendBatchers(backends, config.batchWindow(), config.maxBatch(), metrics::batch);
    }

    /** The payload answering one score call, a LogProbability or a ClassDistribution. */
    public CompletableFuture<Object> submit(String backend, Operation operation, Object payload) {
        if (operation == Operation.GENERATE) throw new IllegalArgumentException("the scorer does not generate");
        return batchers.submit(backend, operation, payload);
    }

    /** The payloads answering the calls of one message, queued together so they leave in whole batches. */
    public List<CompletableFuture<Object>> submitAll(String backend, Operation operation, List<?> payloads) {
        if (operation == Operation.GENERATE) throw new IllegalArgumentException("the scorer does not generate");
        return batchers.submitAll(backend, operation, payloads);
    }

    @PreDestroy
    void stop() {
        batchers.close();
    }
}
