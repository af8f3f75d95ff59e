package io.dln.core.lm;

/**
 * The mean token log-probability of a target after its context (the paper's length-normalised
 * log-likelihood) and the number of target tokens it averages over.
 */
public record LogProbability(double meanLogProb, int targetTokens, TokenUsage usage) {

    public LogProbability {
        usage = usage == null ? TokenUsage.NONE : usage;
    }
}
