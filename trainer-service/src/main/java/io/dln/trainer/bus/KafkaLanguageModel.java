package io.dln.trainer.bus;

import io.dln.core.lm.Capabilities;
import io.dln.core.lm.ClassDistribution;
import io.dln.core.lm.ClassDistributionRequest;
import io.dln.core.lm.Generation;
import io.dln.core.lm.GenerationRequest;
import io.dln.core.lm.LanguageModel;
import io.dln.core.lm.LogProbability;
import io.dln.core.lm.LogProbabilityRequest;
import io.dln.messages.LlmRequest;
import io.dln.messages.LlmResult;
import io.dln.messages.MessageCodec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A {@link LanguageModel} whose calls travel over Kafka: each call of a batch becomes one request
 * message, served by whichever sampler or scorer replica takes it; the batch completes when every
 * result is back, in request order.
 */
public final class KafkaLanguageModel implements LanguageModel {

    private final RequestBus bus;
    private final RunCalls calls;
    private final String backend;
    private final Capabilities capabilities;
    private final Duration timeout;

    public KafkaLanguageModel(RequestBus bus, RunCalls calls, String backend, Capabilities capabilities, Duration timeout) {
        this.bus = bus;
        this.calls = calls;
        this.backend = backend;
        this.capabilities = capabilities;
        this.timeout = timeout;
    }

    @Override
    public CompletableFuture<List<Generation>> generate(List<GenerationRequest> requests) {
        return send(requests, (id, payload) -> LlmRequest.generate(id, calls.runId(), calls.step(), deadline(), backend,
                bus.replyPartition(), payload), LlmResult::generation);
    }

    @Override
    public CompletableFuture<List<LogProbability>> logProbability(List<LogProbabilityRequest> requests) {
        return send(requests, (id, payload) -> LlmRequest.logProbability(id, calls.runId(), calls.step(), deadline(), backend,
                bus.replyPartition(), payload), LlmResult::logProbability);
    }

    @Override
    public CompletableFuture<List<ClassDistribution>> classDistribution(List<ClassDistributionRequest> requests) {
        return send(requests, (id, payload) -> LlmRequest.classDistribution(id, calls.runId(), calls.step(), deadline(), backend,
                bus.replyPartition(), payload), LlmResult::classDistribution);
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    private <P, R> CompletableFuture<List<R>> send(List<P> payloads, RequestFactory<P> factory, Function<LlmResult, R> extract) {
        if (calls.aborted() != null) return CompletableFuture.failedFuture(calls.aborted());
        List<CompletableFuture<R>> futures = new ArrayList<>(payloads.size());
        for (P payload : payloads) {
            String contentKey = MessageCodec.contentKey(factory.create("", payload));
            LlmRequest request = factory.create(calls.nextRequestId(contentKey), payload);
            futures.add(bus.call(request, contentKey).thenApply(result -> {
                if (!result.ok()) {
                    throw new LlmCallFailedException("backend '" + backend + "' failed " + request.operation()
                            + " for worker " + result.worker() + ": " + result.error());
                }
                if (result.usage() != null) calls.sent(result.usage().total());
                return extract.apply(result);
            }));
        }
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
                .thenApply(done -> futures.stream().map(CompletableFuture::join).toList());
    }

    private long deadline() {
        return System.currentTimeMillis() + timeout.toMillis();
    }

    @FunctionalInterface
    private interface RequestFactory<P> {
        LlmRequest create(String requestId, P payload);
    }
}
