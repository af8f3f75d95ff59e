package io.dln.core.loss;

/**
 * 0 when a prediction counts as right for its target, 1 when it does not. Both sides are first
 * normalised the same way, so "Option (A)." and "(A)" can agree.
 */
public interface Loss {

    String normalize(String text);

    double loss(String prediction, String target);

    default boolean isCorrect(String prediction, String target) {
        return loss(prediction, target) == 0.0;
    }
}
