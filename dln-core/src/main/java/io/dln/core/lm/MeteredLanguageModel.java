package io.dln.core.lm;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;

/** Counts the calls a model serves and the tokens they cost, as a run's budget and report need. */
public final class MeteredLanguageModel implements LanguageModel {

    private final LanguageModel delegate;
    private final LongAdder calls = new LongAdder();
    private final LongAdder promptTokens = new LongAdder();
    private final LongAdder completionTokens = new LongAdder();

    public MeteredLanguageModel(LanguageModel delegate) {
        this.delegate = delegate;
    }

    @Override
    public CompletableFuture<List<Generation>> generate(List<GenerationRequest> requests) {
        return delegate.generate(requests).thenApply(results -> {
            results.forEach(r -> count(r.usage()));
            return results;
        });
    }

    @Override
    public CompletableFuture<List<LogProbability>> logProbability(List<LogProbabilityRequest> requests) {
        return delegate.logProbability(requests).thenApply(results -> {
            results.forEach(r -> count(r.usage()));
            return results;
        });
    }

    @Override
    public CompletableFuture<List<ClassDistribution>> classDistribution(List<ClassDistributionRequest> requests) {
        return delegate.classDistribution(requests).thenApply(results -> {
            results.forEach(r -> count(r.usage()));
            return results;
        });
    }

    @Override
    public Capabilities capabilities() {
        return delegate.capabilities();
    }

    public long calls() {
        return calls.sum();
    }

    public TokenUsage usage() {
        return new TokenUsage(promptTokens.sum(), completionTokens.sum());
    }

    private void count(TokenUsage usage) {
        calls.increment();
        promptTokens.add(usage.promptTokens());
        completionTokens.add(usage.completionTokens());
    }
}
