package io.dln.core.model;

/** A prompt considered in an update and its score (ELBO, log-likelihood or accuracy, reward included). */
public record Candidate(String prompt, double score) {
}
