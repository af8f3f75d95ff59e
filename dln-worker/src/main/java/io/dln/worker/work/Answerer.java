package io.dln.worker.work;

import io.dln.core.lm.TokenUsage;
import io.dln.messages.LlmRequest;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The operation-specific part of a worker: answers the calls of one admitted request, on the record's virtual thread. */
@FunctionalInterface
public interface Answerer {

    /**
     * Starts every call of {@code request} ({@link LlmRequest#calls()}) and returns their answers in the same order.
     * A future that fails is a failed backend call: it becomes that call's error result, with its cause's message as
     * the reason; the other calls of the batch are answered as usual.
     */
    List<CompletableFuture<Answer>> answer(LlmRequest request);

    /** The payload of an OK result (a Generation, LogProbability or ClassDistribution) and the tokens it cost. */
    record Answer(Object payload, TokenUsage usage) {
    }
}
