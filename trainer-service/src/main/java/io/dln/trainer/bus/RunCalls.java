package io.dln.trainer.bus;

import io.dln.messages.MessageCodec;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Names the LLM calls of one run. A call's id depends on the run, the iteration, its position among
 * the iteration's calls and its content, so re-running an iteration after a crash asks the same
 * questions under the same ids and any result already on its way still counts.
 */
public final class RunCalls {

    private final String runId;
    private volatile int step;
    private volatile RuntimeException aborted;
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong tokensSent = new AtomicLong();

    public RunCalls(String runId) {
        this.runId = runId;
    }

    public String runId() {
        return runId;
    }

    public int step() {
        return step;
    }

    /** Adds what a result says was sent to a backend for it (nothing when a worker's cache answered). */
    public void sent(long tokens) {
        tokensSent.addAndGet(tokens);
    }

    /** Tokens sent to backends by this run's calls since it was loaded. */
    public long tokensSent() {
        return tokensSent.get();
    }

    /** Called before an iteration starts, so its calls are numbered from zero. */
    public void beginStep(int step) {
        this.step = step;
        sequence.set(0);
    }

    /** From now on every call of the run fails at once with {@code reason}, so a step under way stops at its next wait. */
    public void abort(RuntimeException reason) {
        aborted = reason;
    }

    /** Why the run's calls are refused, or null while they are not. */
    RuntimeException aborted() {
        return aborted;
    }

    String nextRequestId(String contentKey) {
        return MessageCodec.sha256(runId + '|' + step + '|' + sequence.getAndIncrement() + '|' + contentKey);
    }
}
