package io.dln.backends.metrics;

import io.dln.core.lm.Capabilities;
import io.dln.core.lm.ClassDistribution;
import io.dln.core.lm.ClassDistributionRequest;
import io.dln.core.lm.Generation;
import io.dln.core.lm.GenerationRequest;
import io.dln.core.lm.LanguageModel;
import io.dln.core.lm.LogProbability;
import io.dln.core.lm.LogProbabilityRequest;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A {@link LanguageModel} that counts the prompts handed to its delegate and not answered yet, published as the
 * gauge {@code dln.llm.inflight} (tag backend). The client's listener only sees calls end, so the count lives here.
 */
public final class InflightTracking implements LanguageModel {

    public static final String INFLIGHT = "dln.llm.inflight";

    private final LanguageModel delegate;
    private final AtomicInteger inflight = new AtomicInteger();

    public InflightTracking(String backend, LanguageModel delegate, MeterRegistry registry) {
        this.delegate = delegate;
        Gauge.builder(INFLIGHT, inflight, AtomicInteger::get)
                .description("Prompts sent to the backend and not answered yet")
                .tag("backend", backend)
                .register(registry);
    }

    @Override
    public CompletableFuture<List<Generation>> generate(List<GenerationRequest> requests) {
        return tracked(requests.size(), () -> delegate.generate(requests));
    }

    @Override
    public CompletableFuture<List<LogProbability>> logProbability(List<LogProbabilityRequest> requests) {
        return tracked(requests.size(), () -> delegate.logProbability(requests));
    }

    @Override
    public CompletableFuture<List<ClassDistribution>> classDistribution(List<ClassDistributionRequest> requests) {
        return tracked(requests.size(), () -> delegate.classDistribution(requests));
    }

    @Override
    public Capabilities capabilities() {
        return delegate.capabilities();
    }

    public int inflight() {
        return inflight.get();
    }

    private <T> CompletableFuture<T> tracked(int prompts, Supplier<CompletableFuture<T>> call) {
        inflight.addAndGet(prompts);
        CompletableFuture<T> future;
        try {
            future = call.get();
        } catch (RuntimeException e) {
            inflight.addAndGet(-prompts);
            throw e;
        }
        return future.whenComplete((result, error) -> inflight.addAndGet(-prompts));
    }
}
