package io.dln.scorer.batch;

import io.dln.backends.registry.BackendRegistry;
import io.dln.core.lm.ClassDistribution;
import io.dln.core.lm.ClassDistributionRequest;
import io.dln.core.lm.LogProbability;
import io.dln.core.lm.LogProbabilityRequest;
import io.dln.messages.LlmRequest;
import io.dln.messages.Operation;
import io.dln.scorer.config.ScorerConfig;
import io.dln.scorer.metrics.ScorerMetrics;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** One {@link MicroBatcher} per backend and operation, so a batch becomes one call with a list of prompts. */
@ApplicationScoped
public class Batchers {

    private final BackendRegistry backends;
    private final ScorerConfig config;
    private final ScorerMetrics metrics;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("score-batch-timer").daemon().factory());
    private final Map<String, MicroBatcher<LogProbabilityRequest, LogProbability>> logProbability = new ConcurrentHashMap<>();
    private final Map<String, MicroBatcher<ClassDistributionRequest, ClassDistribution>> classDistribution = new ConcurrentHashMap<>();

    @Inject
    public Batchers(BackendRegistry backends, ScorerConfig config, ScorerMetrics metrics) {
        this.backends = backends;
        this.config = config;
        this.metrics = metrics;
    }

    /** The payload answering {@code request}, a {@link LogProbability} or a {@link ClassDistribution}. */
    public CompletableFuture<?> submit(LlmRequest request) {
        String backend = request.backend();
        return switch (request.operation()) {
            case LOG_PROBABILITY -> logProbability.computeIfAbsent(backend, b -> new MicroBatcher<>(
                    items -> backends.model(b).logProbability(items), maxItems(b), config.batchWindow(), timer,
                    size -> metrics.batch(b, Operation.LOG_PROBABILITY, size))).submit(request.logProbability());
            case CLASS_DISTRIBUTION -> classDistribution.computeIfAbsent(backend, b -> new MicroBatcher<>(
                    items -> backends.model(b).classDistribution(items), maxItems(b), config.batchWindow(), timer,
                    size -> metrics.batch(b, Operation.CLASS_DISTRIBUTION, size))).submit(request.classDistribution());
            case GENERATE -> throw new IllegalArgumentException("the scorer does not generate");
        };
    }

    private int maxItems(String backend) {
        return config.maxBatch().orElseGet(() -> backends.config(backend).maxPromptsPerCall());
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
    }
}
