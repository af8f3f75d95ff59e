package io.dln.trainer.tracing;

import io.dln.core.lm.Capabilities;
import io.dln.core.lm.ClassDistribution;
import io.dln.core.lm.ClassDistributionRequest;
import io.dln.core.lm.Generation;
import io.dln.core.lm.GenerationRequest;
import io.dln.core.lm.LanguageModel;
import io.dln.core.lm.LogProbability;
import io.dln.core.lm.LogProbabilityRequest;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Shows a step's phases in its trace: each batch of calls the algorithm asks for (a forward pass, proposals, posterior
 * samples, a round of scores) is a span of the step, from the batch's publication to its last result, and the
 * requests it publishes carry that span's context to the workers.
 */
public final class TracedLanguageModel implements LanguageModel {

    private static final AttributeKey<Long> CALLS = AttributeKey.longKey("dln.calls");
    private static final AttributeKey<String> BACKEND = AttributeKey.stringKey("dln.backend");

    private final LanguageModel delegate;
    private final StepTraces traces;
    private final String runId;
    private final String backend;

    public TracedLanguageModel(LanguageModel delegate, StepTraces traces, String runId, String backend) {
        this.delegate = delegate;
        this.traces = traces;
        this.runId = runId;
        this.backend = backend;
    }

    @Override
    public CompletableFuture<List<Generation>> generate(List<GenerationRequest> requests) {
        return traced("generate", requests.size(), () -> delegate.generate(requests));
    }

    @Override
    public CompletableFuture<List<LogProbability>> logProbability(List<LogProbabilityRequest> requests) {
        return traced("log_probability", requests.size(), () -> delegate.logProbability(requests));
    }

    @Override
    public CompletableFuture<List<ClassDistribution>> classDistribution(List<ClassDistributionRequest> requests) {
        return traced("class_distribution", requests.size(), () -> delegate.classDistribution(requests));
    }

    @Override
    public Capabilities capabilities() {
        return delegate.capabilities();
    }

    private <T> CompletableFuture<T> traced(String operation, int calls, Supplier<CompletableFuture<T>> call) {
        Span span = traces.tracer().spanBuilder(operation).setParent(traces.contextOf(runId))
                .setAttribute(CALLS, (long) calls).setAttribute(BACKEND, backend).startSpan();
        CompletableFuture<T> result;
        try (Scope scope = span.makeCurrent()) {
            result = call.get();
        } catch (RuntimeException e) {
            span.setStatus(StatusCode.ERROR, String.valueOf(e.getMessage())).end();
            throw e;
        }
        return result.whenComplete((done, error) -> {
            if (error != null) span.setStatus(StatusCode.ERROR, String.valueOf(error.getMessage()));
            span.end();
        });
    }
}
