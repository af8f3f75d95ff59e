package io.dln.store;

/** Where a run is; PAUSED keeps its checkpoint between two iterations until it is resumed, and is not an end. */
public enum RunStatus {
    QUEUED, RUNNING, PAUSED, SUCCEEDED, FAILED, CANCELLED;

    public boolean terminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
