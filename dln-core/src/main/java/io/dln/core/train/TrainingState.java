package io.dln.core.train;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.dln.core.model.Guidance;
import io.dln.core.model.NetworkPrompts;
import io.dln.core.model.RememberedPrompts;

import java.util.List;
import java.util.Map;

/**
 * Everything a training run needs to continue exactly where it was: the next iteration, the prompts,
 * the memory of best prompts, the best dev accuracy and its prompts, patience spent, the random
 * state, the dev accuracies of prompt pairs already evaluated, the tokens used so far, and a person's
 * guidance (null when there is none, so unguided checkpoints read and write as they always have). It is a
 * value: each iteration returns a new one, and a checkpoint is this record as JSON.
 */
public record TrainingState(int iteration, NetworkPrompts prompts, List<RememberedPrompts> memory,
                            double bestDevAccuracy, NetworkPrompts bestPrompts, int patienceSpent, long rngState,
                            Map<String, Double> devAccuracyCache, long tokensUsed, boolean finished,
                            String stopReason, @JsonInclude(JsonInclude.Include.NON_NULL) Guidance guidance) {

    public TrainingState {
        memory = List.copyOf(memory);
        // sorted, so a checkpoint's JSON is the same text however the map was filled
        devAccuracyCache = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(devAccuracyCache));
        guidance = guidance == null || guidance.isEmpty() ? null : guidance;
    }

    public TrainingState(int iteration, NetworkPrompts prompts, List<RememberedPrompts> memory,
                         double bestDevAccuracy, NetworkPrompts bestPrompts, int patienceSpent, long rngState,
                         Map<String, Double> devAccuracyCache, long tokensUsed, boolean finished, String stopReason) {
        this(iteration, prompts, memory, bestDevAccuracy, bestPrompts, patienceSpent, rngState, devAccuracyCache, tokensUsed,
                finished, stopReason, null);
    }

    /** The guidance in force: none when the run was never guided. */
    public Guidance guidanceOrNone() {
        return guidance == null ? Guidance.NONE : guidance;
    }
}
