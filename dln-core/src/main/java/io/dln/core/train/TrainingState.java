package io.dln.core.train;

import io.dln.core.model.NetworkPrompts;
import io.dln.core.model.RememberedPrompts;

import java.util.List;
import java.util.Map;

/**
 * Everything a training run needs to continue exactly where it was: the next iteration, the prompts,
 * the memory of best prompts, the best dev accuracy and its prompts, patience spent, the random
 * state, the dev accuracies of prompt pairs already evaluated, and the tokens used so far. It is a
 * value: each iteration returns a new one, and a checkpoint is this record as JSON.
 */
public record TrainingState(int iteration, NetworkPrompts prompts, List<RememberedPrompts> memory,
                            double bestDevAccuracy, NetworkPrompts bestPrompts, int patienceSpent, long rngState,
                            Map<String, Double> devAccuracyCache, long tokensUsed, boolean finished,
                            String stopReason) {

    public TrainingState {
        memory = List.copyOf(memory);
        devAccuracyCache = Map.copyOf(devAccuracyCache);
    }
}
