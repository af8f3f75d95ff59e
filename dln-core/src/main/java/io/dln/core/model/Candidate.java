package io.dln.core.model;

/**
 * A prompt considered in an update: its score (ELBO, log-likelihood or accuracy, reward included), whether the
 * update chose it, and where it came from.
 */
public record Candidate(String prompt, double score, boolean chosen, CandidateOrigin origin) {

    public Candidate(String prompt, double score) {
        this(prompt, score, false, CandidateOrigin.PROPOSAL);
    }
}
