package io.dln.messages;

import io.dln.core.lm.ClassDistribution;
import io.dln.core.lm.Generation;
import io.dln.core.lm.LogProbability;
import io.dln.core.lm.TokenUsage;

/**
 * The answer to one {@link LlmRequest}: the payload of its operation when {@code status} is OK, the
 * reason when it is ERROR, and what the call cost, how long it took and which worker served it.
 */
public record LlmResult(String requestId, String runId, Status status, String error, Generation generation,
                        LogProbability logProbability, ClassDistribution classDistribution, TokenUsage usage,
                        long latencyMillis, String worker) {

    public enum Status { OK, ERROR }

    public static LlmResult ok(LlmRequest request, Object payload, TokenUsage usage, long latencyMillis, String worker) {
        return new LlmResult(request.requestId(), request.runId(), Status.OK, null,
                payload instanceof Generation g ? g : null,
                payload instanceof LogProbability l ? l : null,
                payload instanceof ClassDistribution c ? c : null,
                usage, latencyMillis, worker);
    }

    public static LlmResult error(LlmRequest request, String reason, long latencyMillis, String worker) {
        return new LlmResult(request.requestId(), request.runId(), Status.ERROR, reason, null, null, null,
                TokenUsage.NONE, latencyMillis, worker);
    }

    public boolean ok() {
        return status == Status.OK;
    }
}
