package io.dln.trainer.runs;

/** Whether this trainer still holds a run; checked between iterations and after failed calls. */
public final class RunLease {

    private volatile boolean lost;
    private volatile boolean ended;

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
}
