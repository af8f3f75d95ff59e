package io.dln.trainer.runs;

import io.dln.trainer.bus.RunCalls;

/**
 * Whether this trainer still holds a run, and whether someone asked for it to be cancelled; checked between
 * iterations and after failed calls. A cancel request also stops the run's calls, so the step under way ends within
 * seconds rather than at its end.
 */
public final class RunLease {

    private volatile boolean lost;
    private volatile boolean ended;
    private volatile boolean cancelRequested;
    private volatile RunCalls calls;

    public boolean lost() {
        return lost;
    }

    void markLost() {
        lost = true;
    }

    /** The run reached its end here (succeeded, failed or cancelled); its lease is released, not lost. */
    boolean ended() {
        return ended;
    }

    void markEnded() {
        ended = true;
    }

    /** The calls of the run's execution, to stop when it is cancelled. */
    void attach(RunCalls runCalls) {
        calls = runCalls;
        if (cancelRequested) runCalls.abort(RunCancelledException.INSTANCE);
    }

    boolean cancelRequested() {
        return cancelRequested;
    }

    /** Refuses the run's further calls; the caller fails those outstanding. */
    void markCancelRequested() {
        cancelRequested = true;
        RunCalls c = calls;
        if (c != null) c.abort(RunCancelledException.INSTANCE);
    }
}
