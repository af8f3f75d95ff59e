package io.dln.scorer.work;

import io.dln.core.lm.ClassDistribution;
import io.dln.core.lm.LogProbability;
import io.dln.core.lm.TokenUsage;
import io.dln.messages.LlmRequest;
import io.dln.messages.MessageCodec;
import io.dln.messages.Operation;
import io.dln.messages.Topics;
import io.dln.scorer.batch.Batchers;
import io.dln.scorer.cache.ResultCache;
import io.dln.scorer.metrics.ScorerMetrics;
import io.dln.worker.work.Answerer.Answer;
import io.dln.worker.work.RequestHandler;
import io.dln.worker.work.RequestHandlers;
import io.smallrye.common.annotation.RunOnVirtualThread;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Serves {@code dln.score.requests}: each record (one call, or a batch of them) on its own virtual thread; each call
 * answered from the cache when the same content was scored before, else sent to the backend together with the other
 * calls for the same backend and operation, of this record and of others. Triage,
 * admission, acknowledgement and dead-lettering are the shared {@link RequestHandler}'s.
 */
@ApplicationScoped
public class ScoreWorker {

    private final Batchers batchers;
    private final ResultCache cache;
    private final ScorerMetrics scorerMetrics;
    private final RequestHandler handler;

    @Inject
    public ScoreWorker(Batchers batchers, ResultCache cache, ScorerMetrics scorerMetrics, RequestHandlers handlers) {
        this.batchers = batchers;
        this.cache = cache;
        this.scorerMetrics = scorerMetrics;
        this.handler = handlers.handler(ScoreWorker.class,
                Set.of(Operation.LOG_PROBABILITY, Operation.CLASS_DISTRIBUTION), this::score);
    }

    @Incoming(Topics.SCORE_REQUESTS)
    @RunOnVirtualThread
    public CompletionStage<Void> onRequest(Message<byte[]> record) {
        return handler.onRequest(record);
    }

    /**
     * Each call answered from the cache when the same content was scored before (or is being scored), else through
     * the backend batches: the misses of the message are queued together, so they leave in whole batches.
     */
    private List<CompletableFuture<Answer>> score(LlmRequest request) {
        List<LlmRequest.Call> calls = request.calls();
        List<ResultCache.Lookup> lookups = new ArrayList<>(calls.size());
        List<String> missedKeys = new ArrayList<>();
        List<Object> missed = new ArrayList<>();
        for (LlmRequest.Call call : calls) {
            Object payload = call.payload(request.operation());
            String key = MessageCodec.contentKey(request.backend(), request.operation(), payload);
            ResultCache.Lookup lookup = cache.reserve(key);
            scorerMetrics.cache(request.backend(), lookup.hit());
            lookups.add(lookup);
            if (!lookup.hit()) {
                missedKeys.add(key);
                missed.add(payload);
            }
        }
        List<CompletableFuture<Object>> sent;
        try {
            sent = batchers.submitAll(request.backend(), request.operation(), missed);
        } catch (RuntimeException e) {
            sent = missed.stream().map(m -> CompletableFuture.<Object>failedFuture(e)).toList();
        }
        for (int i = 0, m = 0; i < lookups.size(); i++) {
            if (!lookups.get(i).hit()) cache.fill(missedKeys.get(m), lookups.get(i).answer(), sent.get(m++));
        }
        List<CompletableFuture<Answer>> answers = new ArrayList<>(calls.size());
        for (ResultCache.Lookup lookup : lookups) {
            // A cached answer sent nothing this time: the result's usage (tokens sent) is zero, while the payload keeps
            // what the call needed, so the trainer counts the same tokens for a run whether the cache was warm or cold.
            answers.add(lookup.answer().thenApply(answer -> lookup.hit()
                    ? new Answer(answer, TokenUsage.NONE) : new Answer(answer, usageOf(answer))));
        }
        return answers;
    }

    private static TokenUsage usageOf(Object payload) {
        return switch (payload) {
            case LogProbability l -> l.usage();
            case ClassDistribution c -> c.usage();
            default -> TokenUsage.NONE;
        };
    }
}
