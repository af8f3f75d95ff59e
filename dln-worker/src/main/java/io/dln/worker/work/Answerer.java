package io.dln.worker.work;

import io.dln.core.lm.TokenUsage;
import io.dln.messages.LlmRequest;

import java.util.concurrent.ExecutionException;

/** The operation-specific part of a worker: answers one admitted request, on the record's virtual thread. */
@FunctionalInterface
public interface Answerer {

    /**
     * Blocks until {@code request} is answered. An {@link ExecutionException} is a failed backend call: it becomes an
     * error result, with its cause's message as the reason.
     */
    Answer answer(LlmRequest request) throws InterruptedException, ExecutionException;

    /** The payload of an OK result (a Generation, LogProbability or ClassDistribution) and the tokens it cost. */
    record Answer(Object payload, TokenUsage usage) {
    }
}
