package io.dln.core.model;

/**
 * A hidden text h~ drawn from the posterior proposal for one example, with its posterior weight, the
 * log-likelihood of the example's answer given it, log p(y | x, h~, prompt 2), and its prior under the hidden
 * prompt, log p(h~ | x, prompt 1). Either log-probability is null when the step did not need it (one sample,
 * a flat posterior, or no prior term).
 */
public record HiddenSample(String text, double weight, Double logLikelihood, Double logPrior) {
}
