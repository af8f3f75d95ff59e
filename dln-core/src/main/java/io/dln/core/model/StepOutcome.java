package io.dln.core.model;

import java.util.List;

/**
 * What one training step decided: the next prompts, the ELBOs of the chosen candidates, the batch
 * accuracy of the forward pass before the update, every candidate with its score and, for DLN-2, the
 * hidden samples h~ drawn for each example with their posterior weights. {@code examples} is the batch as
 * the step saw it, for people to look at: forward pass, loss and posterior samples of each example.
 */
public record StepOutcome(NetworkPrompts prompts, double elbo1, double elbo2, double batchAccuracy,
                          List<Candidate> p1Candidates, List<Candidate> p2Candidates,
                          List<List<String>> hiddenSamples, List<List<Double>> posteriorWeights,
                          List<ExampleOutcome> examples) {

    public StepOutcome(NetworkPrompts prompts, double elbo1, double elbo2, double batchAccuracy,
                       List<Candidate> p1Candidates, List<Candidate> p2Candidates,
                       List<List<String>> hiddenSamples, List<List<Double>> posteriorWeights) {
        this(prompts, elbo1, elbo2, batchAccuracy, p1Candidates, p2Candidates, hiddenSamples, posteriorWeights, List.of());
    }

    static StepOutcome unchanged(NetworkPrompts prompts, double batchAccuracy, List<ExampleOutcome> examples) {
        return new StepOutcome(prompts, 0, 0, batchAccuracy, List.of(), List.of(), List.of(), List.of(), examples);
    }

    public double elbo() {
        return elbo1 + elbo2;
    }
}
