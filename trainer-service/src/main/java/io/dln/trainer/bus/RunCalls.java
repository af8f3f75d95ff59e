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
    private final AtomicLong sequence = new AtomicLong();

    public RunCalls(String runId) {
        this.runId = runId;
    }

    public String runId() {
        return runId;
    }

    public int step() {
        return step;
    }

    /** Called before an iteration starts, so its calls are numbered from zero. */
    public void beginStep(int step) {
        this.step = step;
        sequence.set(0);
    }

    String nextRequestId(String contentKey) {
        return MessageCodec.sha256(runId + '|' + step + '|' + sequence.getAndIncrement() + '|' + contentKey);
    }
}
