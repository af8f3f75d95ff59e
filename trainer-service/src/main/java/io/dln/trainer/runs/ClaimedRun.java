package io.dln.trainer.runs;

import io.dln.core.data.Dataset;
import io.dln.core.train.TrainingState;
import io.dln.store.RunEntity;

import java.util.List;

/**
 * A run this trainer holds the lease of, with its data set, its last checkpoint (null before the first) and the
 * guidance recorded for it and not yet applied, oldest first.
 */
record ClaimedRun(RunEntity run, Dataset dataset, String loss, TrainingState checkpoint, List<PendingGuidance> guidance) {
}
