package io.dln.trainer.runs;

import io.dln.core.data.Dataset;
import io.dln.core.train.TrainingState;
import io.dln.store.RunEntity;

/** A run this trainer holds the lease of, with its data set and its last checkpoint (null before the first). */
record ClaimedRun(RunEntity run, Dataset dataset, String loss, TrainingState checkpoint) {
}
