package io.dln.messages;

import io.dln.core.lm.ClassDistribution;
import io.dln.core.lm.Generation;
import io.dln.core.lm.LogProbability;
import io.dln.core.lm.TokenUsage;

import java.util.List;

/**
 * The answer to one {@link LlmRequest}, in the request's version. Version 1 answers one call: the payload of its
 * operation when {@code status} is OK, the reason when it is ERROR. Version 2 answers a batch: one {@link CallResult}
 * per call in {@code batch}, each OK or ERROR on its own (a batch may partly fail), {@code status} OK only when all
 * are. Both say how long the message took and which worker served it; {@link #results()} lists the calls' results
 * whichever the version.
 */
public record LlmResult(String requestId, String runId, Status status, String error, Generation generation,
                        LogProbability logProbability, ClassDistribution classDistribution, TokenUsage usage,
                        long latencyMillis, String worker, List<CallResult> batch, int version) {

    public enum Status { OK, ERROR }

    /** The result of one call of a batch. */
    public record CallResult(String id, Status status, String error, Generation generation, LogProbability logProbability,
                             ClassDistribution classDistribution, TokenUsage usage) {

        public static CallResult ok(String id, Object payload, TokenUsage usage) {
            return new CallResult(id, Status.OK, null,
                    payload instanceof Generation g ? g : null,
                    payload instanceof LogProbability l ? l : null,
                    payload instanceof ClassDistribution c ? c : null,
                    usage);
        }

        public static CallResult error(String id, String reason) {
            return new CallResult(id, Status.ERROR, reason, null, null, null, TokenUsage.NONE);
        }

        public boolean ok() {
            return status == Status.OK;
        }
    }

    public LlmResult {
        version = version == 0 ? 1 : version;
        batch = batch == null ? null : List.copyOf(batch);
    }

    public static LlmResult ok(LlmRequest request, Object payload, TokenUsage usage, long latencyMillis, String worker) {
        return new LlmResult(request.requestId(), request.runId(), Status.OK, null,
                payload instanceof Generation g ? g : null,
                payload instanceof LogProbability l ? l : null,
                payload instanceof ClassDistribution c ? c : null,
                usage, latencyMillis, worker, null, 1);
    }

    public static LlmResult error(LlmRequest request, String reason, long latencyMillis, String worker) {
        return new LlmResult(request.requestId(), request.runId(), Status.ERROR, reason, null, null, null,
                TokenUsage.NONE, latencyMillis, worker, null, 1);
    }

    /** The answer to {@code request} made of {@code results}, one per call in order, in the request's version. */
    public static LlmResult of(LlmRequest request, List<CallResult> results, long latencyMillis, String worker) {
        if (!request.batched()) {
            CallResult only = results.getFirst();
            return new LlmResult(request.requestId(), request.runId(), only.status(), only.error(), only.generation(),
                    only.logProbability(), only.classDistribution(), only.usage(), latencyMillis, worker, null, 1);
        }
        long failed = results.stream().filter(r -> !r.ok()).count();
        TokenUsage usage = results.stream().map(CallResult::usage).reduce(TokenUsage.NONE, TokenUsage::plus);
        return new LlmResult(request.requestId(), request.runId(), failed == 0 ? Status.OK : Status.ERROR,
                failed == 0 ? null : failed + " of " + results.size() + " calls failed", null, null, null, usage,
                latencyMillis, worker, results, request.version());
    }

    /** The result of each call answered, whichever version this was written in. */
    public List<CallResult> results() {
        if (batch != null) return batch;
        return List.of(new CallResult(requestId, status, error, generation, logProbability, classDistribution, usage));
    }

    public boolean ok() {
        return status == Status.OK;
    }
}
