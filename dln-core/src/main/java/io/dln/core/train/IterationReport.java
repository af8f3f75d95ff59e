package io.dln.core.train;

import io.dln.core.model.Candidate;
import io.dln.core.model.NetworkPrompts;

import java.util.List;

/**
 * What one iteration did: its index (0 for the first), the prompts after the update and their dev accuracy when it
 * validated them (null otherwise), the step's ELBOs and batch accuracy, the candidates with their scores, the tokens
 * used so far, what the step saw (null when the iteration took no step), and the dev accuracy of the prompts the step
 * started from when they were validated before it: the initial prompts in the first iteration ({@code validateFirst}),
 * or prompts a person has just set (null otherwise).
 */
public record IterationReport(int iteration, Double devAccuracy, NetworkPrompts prompts, Double elbo, Double elbo1,
                              Double elbo2, Double batchAccuracy, List<Candidate> p1Candidates,
                              List<Candidate> p2Candidates, long tokensUsed, StepTrace trace, Double startDevAccuracy) {

    public IterationReport(int iteration, Double devAccuracy, NetworkPrompts prompts, Double elbo, Double elbo1,
                           Double elbo2, Double batchAccuracy, List<Candidate> p1Candidates,
                           List<Candidate> p2Candidates, long tokensUsed) {
        this(iteration, devAccuracy, prompts, elbo, elbo1, elbo2, batchAccuracy, p1Candidates, p2Candidates, tokensUsed, null, null);
    }

    public IterationReport(int iteration, Double devAccuracy, NetworkPrompts prompts, Double elbo, Double elbo1,
                           Double elbo2, Double batchAccuracy, List<Candidate> p1Candidates,
                           List<Candidate> p2Candidates, long tokensUsed, StepTrace trace) {
        this(iteration, devAccuracy, prompts, elbo, elbo1, elbo2, batchAccuracy, p1Candidates, p2Candidates, tokensUsed, trace, null);
    }
}
