package io.dln.trainer.runs;

/** Whether this trainer still holds a run; checked between iterations and after failed calls. */
public final class RunLease {

    private volatile boolean lost;

    public boolean lost() {
        return lost;
    }

    void markLost() {
        lost = true;
    }
}
