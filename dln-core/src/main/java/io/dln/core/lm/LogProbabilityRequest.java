package io.dln.core.lm;

import java.util.Objects;

/**
 * Score {@code target} as the continuation of {@code context}; the text scored is exactly context + target.
 * {@code burnIn} is the share of the target's first tokens left out of its mean (the reference skips the first
 * 5 %, so a long text is judged by what follows its opening); 0 averages over every target token. A message
 * written before the field existed reads as 0.
 */
public record LogProbabilityRequest(String context, String target, double burnIn) {

    public LogProbabilityRequest {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(target, "target");
        if (!(burnIn >= 0 && burnIn < 1)) throw new IllegalArgumentException("burnIn must be within [0, 1), was " + burnIn);
    }

    public LogProbabilityRequest(String context, String target) {
        this(context, target, 0);
    }

    /** How many of {@code targetTokens} the burn-in leaves out: the floor of the share, as the reference counts. */
    public static int burnInTokens(double burnIn, int targetTokens) {
        return (int) Math.floor(burnIn * targetTokens);
    }
}
