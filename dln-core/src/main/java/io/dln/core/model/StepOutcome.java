package io.dln.core.model;

import java.util.List;

/**
 * What one training step decided: the next prompts, the ELBOs of the chosen candidates, the batch
 * accuracy of the forward pass before the update, every candidate with its score and, for DLN-2, the
 * hidden samples h~ drawn for each example with their posterior weights.
 */
public record StepOutcome(NetworkPrompts prompts, double elbo1, double elbo2, double batchAccuracy,
                          List<Candidate> p1Candidates, List<Candidate> p2Candidates,
                          List<List<String>> hiddenSamples, List<List<Double>> posteriorWeights) {

    static StepOutcome unchanged(NetworkPrompts prompts, double batchAccuracy) {
        return new StepOutcome(prompts, 0, 0, batchAccuracy, List.of(), List.of(), List.of(), List.of());
    }

    public double elbo() {
        return elbo1 + elbo2;
    }
}
