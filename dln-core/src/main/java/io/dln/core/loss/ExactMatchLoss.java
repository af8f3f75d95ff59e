package io.dln.core.loss;

/** 0 when prediction and target reduce to the same word under {@link PredictionNormalizer}, else 1. */
public final class ExactMatchLoss implements Loss {

    public static final String NAME = "exact_match";

    @Override
    public String normalize(String text) {
        return PredictionNormalizer.normalize(text);
    }

    @Override
    public double loss(String prediction, String target) {
        return normalize(prediction).equals(normalize(target)) ? 0.0 : 1.0;
    }

    @Override
    public String toString() {
        return NAME;
    }
}
