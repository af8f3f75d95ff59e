package io.dln.pipeline;

import io.dln.core.lm.Capabilities;
import io.dln.core.lm.ClassDistribution;
import io.dln.core.lm.ClassDistributionRequest;
import io.dln.core.lm.Generation;
import io.dln.core.lm.GenerationRequest;
import io.dln.core.lm.LanguageModel;
import io.dln.core.lm.LogProbability;
import io.dln.core.lm.LogProbabilityRequest;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts what the algorithm asks of a model: calls, and phases (batches, each waiting on the one before). */
final class CountingModel implements LanguageModel {

    private final LanguageModel delegate;
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger phases = new AtomicInteger();

    CountingModel(LanguageModel delegate) {
        this.delegate = delegate;
    }

    @Override
    public CompletableFuture<List<Generation>> generate(List<GenerationRequest> requests) {
        count(requests.size());
        return delegate.generate(requests);
    }

    @Override
    public CompletableFuture<List<LogProbability>> logProbability(List<LogProbabilityRequest> requests) {
        count(requests.size());
        return delegate.logProbability(requests);
    }

    @Override
    public CompletableFuture<List<ClassDistribution>> classDistribution(List<ClassDistributionRequest> requests) {
        count(requests.size());
        return delegate.classDistribution(requests);
    }

    @Override
    public Capabilities capabilities() {
        return delegate.capabilities();
    }

    private void count(int size) {
        if (size == 0) return;
        calls.addAndGet(size);
        phases.incrementAndGet();
    }
}
