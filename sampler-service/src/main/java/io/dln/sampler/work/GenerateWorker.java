package io.dln.sampler.work;

import io.dln.backends.registry.BackendRegistry;
import io.dln.core.lm.Generation;
import io.dln.messages.InvalidMessageException;
import io.dln.messages.LlmRequest;
import io.dln.messages.LlmResult;
import io.dln.messages.Operation;
import io.dln.messages.Topics;
import io.dln.sampler.config.WorkerIdentity;
import io.dln.sampler.intake.Triage;
import io.dln.sampler.intake.Verdict;
import io.dln.sampler.metrics.WorkerMetrics;
import io.dln.sampler.results.ResultPublisher;
import io.smallrye.common.annotation.RunOnVirtualThread;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/**
 * Serves {@code dln.generate.requests}: each record on its own virtual thread. The record is acknowledged (and
 * so its offset becomes committable) only once its result is on the broker; a record that cannot be served is
 * nacked and the connector's dead-letter strategy forwards it with the reason.
 */
@ApplicationScoped
public class GenerateWorker {

    private static final Logger LOG = Logger.getLogger(GenerateWorker.class);

    private final BackendRegistry backends;
    private final ResultPublisher results;
    private final WorkerMetrics metrics;
    private final Admission admission;
    private final String worker;
    private final Triage triage;

    @Inject
    public GenerateWorker(BackendRegistry backends, ResultPublisher results, WorkerMetrics metrics, Admission admission,
                          WorkerIdentity identity, @ConfigProperty(name = "quarkus.application.name") String service) {
        this.backends = backends;
        this.results = results;
        this.metrics = metrics;
        this.admission = admission;
        this.worker = identity.id();
        this.triage = new Triage(service, Set.of(Operation.GENERATE), backends);
    }

    @Incoming(Topics.GENERATE_REQUESTS)
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
                result = call(request, received);
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

    private LlmResult call(LlmRequest request, long received) throws InterruptedException {
        try {
            Generation generation = backends.model(request.backend()).generate(List.of(request.generation())).get().getFirst();
            return LlmResult.ok(request, generation, generation.usage(), millisSince(received), worker);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            LOG.debugf("request %s failed: %s", request.requestId(), cause.getMessage());
            return LlmResult.error(request, describe(cause), millisSince(received), worker);
        }
    }

    private static String describe(Throwable t) {
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }

    private static long millisSince(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos).toMillis();
    }
}
