package io.dln.scorer.work;

import io.dln.backends.registry.BackendRegistry;
import io.dln.core.lm.ClassDistribution;
import io.dln.core.lm.LogProbability;
import io.dln.core.lm.TokenUsage;
import io.dln.messages.InvalidMessageException;
import io.dln.messages.LlmRequest;
import io.dln.messages.LlmResult;
import io.dln.messages.MessageCodec;
import io.dln.messages.Operation;
import io.dln.messages.Topics;
import io.dln.scorer.batch.Batchers;
import io.dln.scorer.cache.ResultCache;
import io.dln.scorer.config.WorkerIdentity;
import io.dln.scorer.intake.Triage;
import io.dln.scorer.intake.Verdict;
import io.dln.scorer.metrics.ScorerMetrics;
import io.dln.scorer.metrics.WorkerMetrics;
import io.dln.scorer.results.ResultPublisher;
import io.smallrye.common.annotation.RunOnVirtualThread;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/**
 * Serves {@code dln.score.requests}: each record on its own virtual thread, answered from the cache when the same
 * content was scored before, else batched with other requests for the same backend and operation. The record is
 * acknowledged only once its result is on the broker; one that cannot be served is nacked and the connector's
 * dead-letter strategy forwards it with the reason.
 */
@ApplicationScoped
public class ScoreWorker {

    private static final Logger LOG = Logger.getLogger(ScoreWorker.class);

    private final Batchers batchers;
    private final ResultCache cache;
    private final ResultPublisher results;
    private final WorkerMetrics metrics;
    private final ScorerMetrics scorerMetrics;
    private final Admission admission;
    private final String worker;
    private final Triage triage;

    @Inject
    public ScoreWorker(BackendRegistry backends, Batchers batchers, ResultCache cache, ResultPublisher results,
                       WorkerMetrics metrics, ScorerMetrics scorerMetrics, Admission admission, WorkerIdentity identity,
                       @ConfigProperty(name = "quarkus.application.name") String service) {
        this.batchers = batchers;
        this.cache = cache;
        this.results = results;
        this.metrics = metrics;
        this.scorerMetrics = scorerMetrics;
        this.admission = admission;
        this.worker = identity.id();
        this.triage = new Triage(service, Set.of(Operation.LOG_PROBABILITY, Operation.CLASS_DISTRIBUTION), backends);
    }

    @Incoming(Topics.SCORE_REQUESTS)
    @RunOnVirtualThread
    public CompletionStage<Void> onRequest(Message<String> record) {
        long received = System.nanoTime();
        metrics.consumed();
        return switch (triage.of(record.getPayload(), System.currentTimeMillis())) {
            case Verdict.DeadLetter d -> {
                metrics.deadLettered(d.kind());
                LOG.warnf("dead-lettering a record: %s", d.reason());
                yield record.nack(new InvalidMessageException(d.reason()));
            }
            case Verdict.Expired e -> {
                metrics.expired(e.request().operation());
                LOG.debugf("dropping expired request %s of run %s", e.request().requestId(), e.request().runId());
                yield record.ack();
            }
            case Verdict.Serve s -> serve(s.request(), record, received);
        };
    }

    private CompletionStage<Void> serve(LlmRequest request, Message<String> record, long received) {
        if (!admission.enter()) return CompletableFuture.completedFuture(null); // shutting down: left for redelivery
        try {
            LlmResult result;
            try {
                result = answer(request, received);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return CompletableFuture.completedFuture(null); // stopping: left for redelivery
            }
            try {
                results.publish(request, result);
            } catch (RuntimeException e) {
                metrics.deadLettered("unpublished");
                return record.nack(new InvalidMessageException("the result of request " + request.requestId()
                        + " could not be published to " + Topics.RESULTS + " partition " + request.replyPartition()
                        + ": " + e.getMessage()));
            }
            metrics.published(request.operation(), result.status(), Duration.ofNanos(System.nanoTime() - received));
            return record.ack();
        } finally {
            admission.exit();
        }
    }

    private LlmResult answer(LlmRequest request, long received) throws InterruptedException {
        ResultCache.Lookup lookup = cache.lookup(MessageCodec.contentKey(request), () -> batchers.submit(request));
        scorerMetrics.cache(request.backend(), lookup.hit());
        try {
            Object payload = lookup.answer().get();
            // A cached answer cost nothing this time: its usage is reported as zero.
            return lookup.hit()
                    ? LlmResult.ok(request, withoutUsage(payload), TokenUsage.NONE, millisSince(received), worker)
                    : LlmResult.ok(request, payload, usageOf(payload), millisSince(received), worker);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            LOG.debugf("request %s failed: %s", request.requestId(), cause.getMessage());
            return LlmResult.error(request, cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName(),
                    millisSince(received), worker);
        }
    }

    private static TokenUsage usageOf(Object payload) {
        return switch (payload) {
            case LogProbability l -> l.usage();
            case ClassDistribution c -> c.usage();
            default -> TokenUsage.NONE;
        };
    }

    private static Object withoutUsage(Object payload) {
        return switch (payload) {
            case LogProbability l -> new LogProbability(l.meanLogProb(), l.targetTokens(), TokenUsage.NONE);
            case ClassDistribution c -> new ClassDistribution(c.probabilities(), TokenUsage.NONE);
            default -> payload;
        };
    }

    private static long millisSince(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos).toMillis();
    }
}
