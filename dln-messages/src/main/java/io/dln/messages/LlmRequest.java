package io.dln.messages;

import io.dln.core.lm.ClassDistributionRequest;
import io.dln.core.lm.GenerationRequest;
import io.dln.core.lm.LogProbabilityRequest;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * LLM calls to make, as a trainer publishes them: one message, one backend, one operation.
 * <p>
 * Version 1 (a message without {@code version}) carries one call: its payload in {@code generation},
 * {@code logProbability} or {@code classDistribution}, its id in {@code requestId}. Version 2 carries a batch in
 * {@code batch}, each call with its own id and payload; {@code requestId} then names the message. Either way
 * {@link #calls()} lists the calls. A call's id is the idempotency key: a repeat (a re-send after a timeout, a
 * redelivery after a crash) carries the same id, and the trainer keeps the first result for an id. The result goes
 * to partition {@code replyPartition} of the results topic, the one the owning trainer reads; it is written in the
 * version of the request, so a trainer that only knows version 1 reads its answers.
 */
public record LlmRequest(String requestId, String runId, int step, int attempt, long deadlineEpochMillis,
                         String backend, Operation operation, int replyPartition,
                         GenerationRequest generation, LogProbabilityRequest logProbability,
                         ClassDistributionRequest classDistribution, List<Call> batch, int version) {

    /** The newest version this code writes and reads. */
    public static final int VERSION = 2;
    /** Calls one message may carry: a bound on what a worker holds for one record. */
    public static final int MAX_BATCH = 256;

    /** One call of a batch: its id and the payload of the message's operation. */
    public record Call(String id, GenerationRequest generation, LogProbabilityRequest logProbability,
                       ClassDistributionRequest classDistribution) {

        public static Call of(String id, Object payload) {
            return new Call(id, payload instanceof GenerationRequest g ? g : null,
                    payload instanceof LogProbabilityRequest l ? l : null,
                    payload instanceof ClassDistributionRequest c ? c : null);
        }

        public Object payload(Operation operation) {
            return switch (operation) {
                case GENERATE -> generation;
                case LOG_PROBABILITY -> logProbability;
                case CLASS_DISTRIBUTION -> classDistribution;
            };
        }
    }

    public LlmRequest {
        version = version == 0 ? 1 : version; // written before the field existed
        batch = batch == null ? null : List.copyOf(batch);
    }

    public static LlmRequest generate(String requestId, String runId, int step, long deadline, String backend,
                                      int replyPartition, GenerationRequest payload) {
        return new LlmRequest(requestId, runId, step, 1, deadline, backend, Operation.GENERATE, replyPartition, payload, null, null, null, 1);
    }

    public static LlmRequest logProbability(String requestId, String runId, int step, long deadline, String backend,
                                            int replyPartition, LogProbabilityRequest payload) {
        return new LlmRequest(requestId, runId, step, 1, deadline, backend, Operation.LOG_PROBABILITY, replyPartition, null, payload, null, null, 1);
    }

    public static LlmRequest classDistribution(String requestId, String runId, int step, long deadline, String backend,
                                               int replyPartition, ClassDistributionRequest payload) {
        return new LlmRequest(requestId, runId, step, 1, deadline, backend, Operation.CLASS_DISTRIBUTION, replyPartition, null, null, payload, null, 1);
    }

    /** A version-2 message of {@code calls}, all of {@code operation}. */
    public static LlmRequest batch(String messageId, String runId, int step, int attempt, long deadline, String backend,
                                   Operation operation, int replyPartition, List<Call> calls) {
        return new LlmRequest(messageId, runId, step, attempt, deadline, backend, operation, replyPartition, null, null, null,
                calls, VERSION);
    }

    /** The calls this message asks for, whichever version it was written in. */
    public List<Call> calls() {
        if (batch != null) return batch;
        return List.of(new Call(requestId, generation, logProbability, classDistribution));
    }

    public boolean batched() {
        return batch != null;
    }

    /** The same message with only {@code calls} (a subset of its own), at the next attempt: a re-send of what is unanswered. */
    public LlmRequest resend(List<Call> calls, long newDeadline) {
        if (!batched()) return nextAttempt(newDeadline);
        return new LlmRequest(requestId, runId, step, attempt + 1, newDeadline, backend, operation, replyPartition,
                null, null, null, calls, version);
    }

    public LlmRequest nextAttempt(long newDeadline) {
        return new LlmRequest(requestId, runId, step, attempt + 1, newDeadline, backend, operation, replyPartition,
                generation, logProbability, classDistribution, batch, version);
    }

    public boolean expired(long nowEpochMillis) {
        return nowEpochMillis > deadlineEpochMillis;
    }

    /** Why this request cannot be served; empty when it is well-formed. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (version > VERSION) {
            problems.add("version " + version + " is newer than this service reads (" + VERSION + "); upgrade the workers first");
        }
        if (requestId == null || requestId.isBlank()) problems.add("requestId is missing");
        if (runId == null || runId.isBlank()) problems.add("runId is missing");
        if (backend == null || backend.isBlank()) problems.add("backend is missing");
        if (operation == null) {
            problems.add("operation is missing");
        } else if (batch == null) {
            if (calls().getFirst().payload(operation) == null) problems.add("the " + operation + " payload is missing");
        } else {
            batchProblems(problems);
        }
        if (replyPartition < 0) problems.add("replyPartition must not be negative");
        return problems;
    }

    private void batchProblems(List<String> problems) {
        if (batch.isEmpty()) problems.add("batch is empty");
        if (batch.size() > MAX_BATCH) problems.add("batch holds " + batch.size() + " calls, more than " + MAX_BATCH);
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < batch.size() && problems.size() < 5; i++) {
            Call call = batch.get(i);
            if (call == null) {
                problems.add("batch[" + i + "] is missing");
                continue;
            }
            if (call.id() == null || call.id().isBlank()) problems.add("batch[" + i + "].id is missing");
            else if (!ids.add(call.id())) problems.add("batch[" + i + "].id repeats " + call.id());
            if (call.payload(operation) == null) problems.add("batch[" + i + "]: the " + operation + " payload is missing");
        }
    }
}
