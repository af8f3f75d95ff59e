package io.dln.core.train;

/** Follows a run as it goes: progress bars, events, metrics. */
public interface TrainingListener {

    TrainingListener NONE = new TrainingListener() {
    };

    default void iterationDone(IterationReport report) {
    }

    default void evaluated(String split, int done, int total) {
    }
}
