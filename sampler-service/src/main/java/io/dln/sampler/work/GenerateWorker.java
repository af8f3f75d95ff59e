package io.dln.sampler.work;

import io.dln.backends.registry.BackendRegistry;
import io.dln.core.lm.Generation;
import io.dln.core.lm.GenerationRequest;
import io.dln.messages.LlmRequest;
import io.dln.messages.Operation;
import io.dln.messages.Topics;
import io.dln.worker.batch.BackendBatchers;
import io.dln.worker.config.WorkerConfig;
import io.dln.worker.work.Answerer.Answer;
import io.dln.worker.work.RequestHandler;
import io.dln.worker.work.RequestHandlers;
import io.smallrye.common.annotation.RunOnVirtualThread;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Serves {@code dln.generate.requests}: each record (one generation, or a batch of them, each with its own seed) on
 * its own virtual thread; its generations go to the backend together with those of other records for the same
 * backend ({@link BackendBatchers}). Triage, admission, acknowledgement and dead-lettering are the shared
 * {@link RequestHandler}'s.
 */
@ApplicationScoped
public class GenerateWorker {

    private final BackendBatchers batchers;
    private final RequestHandler handler;

    @Inject
    public GenerateWorker(BackendRegistry backends, WorkerConfig config, RequestHandlers handlers) {
        this.batchers = new BackendBatchers(backends, config.batchWindow(), config.maxBatch(), (backend, operation, size) -> { });
        this.handler = handlers.handler(GenerateWorker.class, Set.of(Operation.GENERATE), this::generate);
    }

    @Incoming(Topics.GENERATE_REQUESTS)
    @RunOnVirtualThread
    public CompletionStage<Void> onRequest(Message<byte[]> record) {
        return handler.onRequest(record);
    }

    private List<CompletableFuture<Answer>> generate(LlmRequest request) {
        List<GenerationRequest> payloads = request.calls().stream().map(LlmRequest.Call::generation).toList();
        return batchers.submitAll(request.backend(), Operation.GENERATE, payloads).stream()
                .map(answer -> answer.thenApply(a -> new Answer(a, ((Generation) a).usage())))
                .toList();
    }

    @PreDestroy
    void stop() {
        batchers.close();
    }
}
