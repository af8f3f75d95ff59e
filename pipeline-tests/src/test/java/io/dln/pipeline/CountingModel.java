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

/**
 * Counts what the algorithm asks of a model: calls, and dependent phases. A batch sent after other
 * batches came back may depend on them, so its phase is one more than the deepest of those; batches
 * in flight together share a phase.
 */
final class CountingModel implements LanguageModel {

    private final LanguageModel delegate;
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger phases = new AtomicInteger();
    private final AtomicInteger deepestAnswered = new AtomicInteger();

    CountingModel(LanguageModel delegate) {
        this.delegate = delegate;
    }

    @Override
    public CompletableFuture<List<Generation>> generate(List<GenerationRequest> requests) {
        return count(requests.size(), delegate.generate(requests));
    }

    @Override
    public CompletableFuture<List<LogProbability>> logProbability(List<LogProbabilityRequest> requests) {
        return count(requests.size(), delegate.logProbability(requests));
    }

    @Override
    public CompletableFuture<List<ClassDistribution>> classDistribution(List<ClassDistributionRequest> requests) {
        return count(requests.size(), delegate.classDistribution(requests));
    }

    @Override
    public Capabilities capabilities() {
        return delegate.capabilities();
    }

    /** Starts counting afresh, e.g. for the next training step. */
    void reset() {
        calls.set(0);
        phases.set(0);
        deepestAnswered.set(0);
    }

    private <T> CompletableFuture<T> count(int size, CompletableFuture<T> answers) {
        if (size == 0) return answers;
        calls.addAndGet(size);
        int phase = deepestAnswered.get() + 1;
        phases.accumulateAndGet(phase, Math::max);
        return answers.whenComplete((result, error) -> deepestAnswered.accumulateAndGet(phase, Math::max));
    }
}
