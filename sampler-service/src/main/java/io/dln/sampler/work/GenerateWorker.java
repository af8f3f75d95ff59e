package io.dln.sampler.work;

import io.dln.backends.registry.BackendRegistry;
import io.dln.core.lm.Generation;
import io.dln.messages.LlmRequest;
import io.dln.messages.Operation;
import io.dln.messages.Topics;
import io.dln.worker.work.Answerer.Answer;
import io.dln.worker.work.RequestHandler;
import io.dln.worker.work.RequestHandlers;
import io.smallrye.common.annotation.RunOnVirtualThread;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/**
 * Serves {@code dln.generate.requests}: each record on its own virtual thread, answered by one generation call to
 * the backend it names. Triage, admission, acknowledgement and dead-lettering are the shared
 * {@link RequestHandler}'s.
 */
@ApplicationScoped
public class GenerateWorker {

    private final BackendRegistry backends;
    private final RequestHandler handler;

    @Inject
    public GenerateWorker(BackendRegistry backends, RequestHandlers handlers) {
        this.backends = backends;
        this.handler = handlers.handler(GenerateWorker.class, Set.of(Operation.GENERATE), this::generate);
    }

    @Incoming(Topics.GENERATE_REQUESTS)
    @RunOnVirtualThread
    public CompletionStage<Void> onRequest(Message<String> record) {
        return handler.onRequest(record);
    }

    private Answer generate(LlmRequest request) throws InterruptedException, ExecutionException {
        Generation generation = backends.model(request.backend()).generate(List.of(request.generation())).get().getFirst();
        return new Answer(generation, generation.usage());
    }
}
