package io.dln.core.train;

import io.dln.core.model.Candidate;
import io.dln.core.model.NetworkPrompts;

import java.util.List;

/**
 * What one iteration did: the dev accuracy if it validated (null otherwise), the prompts after the
 * update, the step's ELBOs and batch accuracy, and the candidates with their scores.
 */
public record IterationReport(int iteration, Double devAccuracy, NetworkPrompts prompts, Double elbo, Double elbo1,
                              Double elbo2, Double batchAccuracy, List<Candidate> p1Candidates,
                              List<Candidate> p2Candidates, long tokensUsed) {
}
