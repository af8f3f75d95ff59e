package io.dln.core.model;

/** How candidate output prompts are ranked: by log-likelihood of the targets, or by accuracy (no log-probabilities needed). */
public enum OutputScoring {
    LOGPROBS, ACCURACY
}
