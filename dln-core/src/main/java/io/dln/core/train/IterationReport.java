package io.dln.core.train;

import io.dln.core.model.Candidate;
import io.dln.core.model.NetworkPrompts;

import java.util.List;

/**
 * What one iteration did: the dev accuracy if it validated (null otherwise), the prompts after the
 * update, the step's ELBOs and batch accuracy, the candidates with their scores, and what the step saw
 * (null when the iteration only validated).
 */
public record IterationReport(int iteration, Double devAccuracy, NetworkPrompts prompts, Double elbo, Double elbo1,
                              Double elbo2, Double batchAccuracy, List<Candidate> p1Candidates,
                              List<Candidate> p2Candidates, long tokensUsed, StepTrace trace) {

    public IterationReport(int iteration, Double devAccuracy, NetworkPrompts prompts, Double elbo, Double elbo1,
                           Double elbo2, Double batchAccuracy, List<Candidate> p1Candidates,
                           List<Candidate> p2Candidates, long tokensUsed) {
        this(iteration, devAccuracy, prompts, elbo, elbo1, elbo2, batchAccuracy, p1Candidates, p2Candidates, tokensUsed, null);
    }
}
