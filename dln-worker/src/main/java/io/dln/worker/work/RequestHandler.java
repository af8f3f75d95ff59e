package io.dln.worker.work;

import io.dln.messages.InvalidMessageException;
import io.dln.messages.LlmRequest;
import io.dln.messages.LlmResult;
import io.dln.messages.Topics;
import io.dln.worker.intake.Triage;
import io.dln.worker.intake.Verdict;
import io.dln.worker.metrics.WorkerMetrics;
import io.dln.worker.results.ResultPublisher;
import io.dln.worker.tracing.RecordTrace;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/**
 * Serves the records of one request channel, each on its own virtual thread (the service's {@code @Incoming}
 * method runs on one and hands the record here). The record is acknowledged (and so its offset becomes
 * committable) only once its result is on the broker; a record that cannot be served is nacked and the
 * connector's dead-letter strategy forwards it with the reason. Made by {@link RequestHandlers}.
 */
public final class RequestHandler {

    private final Logger log;
    private final Triage triage;
    private final Answerer answerer;
    private final ResultPublisher results;
    private final WorkerMetrics metrics;
    private final Admission admission;
    private final String worker;

    RequestHandler(Logger log, Triage triage, Answerer answerer, ResultPublisher results, WorkerMetrics metrics,
                   Admission admission, String worker) {
        this.log = log;
        this.triage = triage;
        this.answerer = answerer;
        this.results = results;
        this.metrics = metrics;
        this.admission = admission;
        this.worker = worker;
    }

    public CompletionStage<Void> onRequest(Message<byte[]> record) {
        try (RecordTrace trace = RecordTrace.enter(record)) {
            return handle(record);
        }
    }

    private CompletionStage<Void> handle(Message<byte[]> record) {
        long received = System.nanoTime();
        metrics.consumed();
        return switch (triage.of(record.getPayload(), System.currentTimeMillis())) {
            case Verdict.DeadLetter d -> {
                metrics.deadLettered(d.kind());
                log.warnf("dead-lettering a record: %s", d.reason());
                yield record.nack(new InvalidMessageException(d.reason()));
            }
            case Verdict.Expired e -> {
                metrics.expired(e.request().operation());
                log.debugf("dropping expired request %s of run %s", e.request().requestId(), e.request().runId());
                yield record.ack();
            }
            case Verdict.Serve s -> serve(s.request(), record, received);
        };
    }

    private CompletionStage<Void> serve(LlmRequest request, Message<byte[]> record, long received) {
        if (!admission.enter()) return CompletableFuture.completedFuture(null); // shutting down: left for redelivery
        RecordTrace.request(request.requestId());
        metrics.served(request.operation(), request.calls().size());
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
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                // stopping: left for redelivery; should the result have reached the broker, the trainer drops the repeat
                return CompletableFuture.completedFuture(null);
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

    /** Every call of the request started at once, then each call's answer or failure: a batch may partly fail. */
    private LlmResult call(LlmRequest request, long received) throws InterruptedException {
        List<CompletableFuture<Answerer.Answer>> answers = answerer.answer(request);
        List<LlmRequest.Call> calls = request.calls();
        List<LlmResult.CallResult> results = new ArrayList<>(calls.size());
        for (int i = 0; i < calls.size(); i++) {
            String id = calls.get(i).id();
            try {
                Answerer.Answer answer = answers.get(i).get();
                results.add(LlmResult.CallResult.ok(id, answer.payload(), answer.usage()));
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                log.debugf("call %s of request %s failed: %s", id, request.requestId(), cause.getMessage());
                results.add(LlmResult.CallResult.error(id, describe(cause)));
            }
        }
        return LlmResult.of(request, results, millisSince(received), worker);
    }

    private static String describe(Throwable t) {
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }

    private static long millisSince(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos).toMillis();
    }
}
