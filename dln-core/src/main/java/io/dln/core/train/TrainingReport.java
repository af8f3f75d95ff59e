package io.dln.core.train;

import io.dln.core.model.NetworkPrompts;

/** The outcome of a run: the best prompts, their dev and test accuracy, the baseline, and the cost. */
public record TrainingReport(NetworkPrompts bestPrompts, double bestDevAccuracy, double testAccuracy,
                             Double fewShotTestAccuracy, int iterations, String stopReason, long tokensUsed) {
}
