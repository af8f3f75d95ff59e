package io.dln.messages;

import io.dln.core.lm.ClassDistributionRequest;
import io.dln.core.lm.GenerationRequest;
import io.dln.core.lm.LogProbabilityRequest;

import java.util.ArrayList;
import java.util.List;

/**
 * One LLM call to make, as a trainer publishes it. {@code requestId} is the idempotency key: a repeat
 * (a re-send after a timeout, a redelivery after a crash) carries the same id, and the trainer keeps
 * the first result for an id. The result goes to partition {@code replyPartition} of the results
 * topic, the one the owning trainer reads. Exactly one payload is set, the one of {@code operation}.
 */
public record LlmRequest(String requestId, String runId, int step, int attempt, long deadlineEpochMillis,
                         String backend, Operation operation, int replyPartition,
                         GenerationRequest generation, LogProbabilityRequest logProbability,
                         ClassDistributionRequest classDistribution) {

    public static LlmRequest generate(String requestId, String runId, int step, long deadline, String backend,
                                      int replyPartition, GenerationRequest payload) {
        return new LlmRequest(requestId, runId, step, 1, deadline, backend, Operation.GENERATE, replyPartition, payload, null, null);
    }

    public static LlmRequest logProbability(String requestId, String runId, int step, long deadline, String backend,
                                            int replyPartition, LogProbabilityRequest payload) {
        return new LlmRequest(requestId, runId, step, 1, deadline, backend, Operation.LOG_PROBABILITY, replyPartition, null, payload, null);
    }

    public static LlmRequest classDistribution(String requestId, String runId, int step, long deadline, String backend,
                                               int replyPartition, ClassDistributionRequest payload) {
        return new LlmRequest(requestId, runId, step, 1, deadline, backend, Operation.CLASS_DISTRIBUTION, replyPartition, null, null, payload);
    }

    public LlmRequest nextAttempt(long newDeadline) {
        return new LlmRequest(requestId, runId, step, attempt + 1, newDeadline, backend, operation, replyPartition,
                generation, logProbability, classDistribution);
    }

    public boolean expired(long nowEpochMillis) {
        return nowEpochMillis > deadlineEpochMillis;
    }

    /** Why this request cannot be served; empty when it is well-formed. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (requestId == null || requestId.isBlank()) problems.add("requestId is missing");
        if (runId == null || runId.isBlank()) problems.add("runId is missing");
        if (backend == null || backend.isBlank()) problems.add("backend is missing");
        if (operation == null) {
            problems.add("operation is missing");
        } else {
            Object payload = switch (operation) {
                case GENERATE -> generation;
                case LOG_PROBABILITY -> logProbability;
                case CLASS_DISTRIBUTION -> classDistribution;
            };
            if (payload == null) problems.add("the " + operation + " payload is missing");
        }
        if (replyPartition < 0) problems.add("replyPartition must not be negative");
        return problems;
    }
}
