package io.dln.core.score;

/**
 * The numeric pieces of the variational step. Arrays are indexed [example][hidden sample][prompt
 * candidate], as the paper's sums run: over examples i, hidden samples s and candidates k.
 */
public final class VariationalScores {

    private VariationalScores() {
    }

    /**
     * ELBO_k = mean_i sum_s w_is * score_isk. Without weights (null), the mean over examples of each
     * sample's score, averaged over samples.
     */
    public static double[] elbo(double[][][] scores, double[][] weights) {
        int examples = scores.length;
        int samples = scores[0].length;
        int candidates = scores[0][0].length;
        double[] elbo = new double[candidates];
        for (int k = 0; k < candidates; k++) {
            double total = 0;
            for (int i = 0; i < examples; i++) {
                for (int s = 0; s < samples; s++) {
                    double w = weights == null ? 1.0 / samples : weights[i][s];
                    total += w * scores[i][s][k];
                }
            }
            elbo[k] = total / examples;
        }
        return elbo;
    }

    /**
     * The NCE variant of the hidden prompt's score: NCE_k = mean_i sum_s w_is * log(softmax over s of score_isk),
     * how much of each example's probability candidate k puts on the samples the posterior weights favour,
     * relative to its other samples (1e-12 keeps the log finite, as in the reference).
     */
    public static double[] nce(double[][][] scores, double[][] weights) {
        int examples = scores.length;
        int samples = scores[0].length;
        int candidates = scores[0][0].length;
        double[] nce = new double[candidates];
        for (int k = 0; k < candidates; k++) {
            double total = 0;
            for (int i = 0; i < examples; i++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int s = 0; s < samples; s++) max = Math.max(max, scores[i][s][k]);
                double sum = 0;
                for (int s = 0; s < samples; s++) sum += Math.exp(scores[i][s][k] - max);
                for (int s = 0; s < samples; s++) {
                    double share = Math.exp(scores[i][s][k] - max) / sum;
                    double w = weights == null ? 1.0 / samples : weights[i][s];
                    total += w * Math.log(share + 1e-12);
                }
            }
            nce[k] = total / examples;
        }
        return nce;
    }

    /** w_is = softmax over s of logits_is / temperature, computed stably. */
    public static double[][] posteriorWeights(double[][] logits, double temperature) {
        if (temperature <= 0) throw new IllegalArgumentException("posterior temperature must be positive, was " + temperature);
        double[][] weights = new double[logits.length][];
        for (int i = 0; i < logits.length; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (double l : logits[i]) max = Math.max(max, l / temperature);
            double sum = 0;
            weights[i] = new double[logits[i].length];
            for (int s = 0; s < logits[i].length; s++) {
                weights[i][s] = Math.exp(logits[i][s] / temperature - max);
                sum += weights[i][s];
            }
            for (int s = 0; s < logits[i].length; s++) weights[i][s] /= sum;
        }
        return weights;
    }

    /**
     * KL(p_0 || p_k) between the class distribution under the current prompt (candidate 0) and under
     * each candidate k, averaged over examples. Indexed [example][candidate][class].
     */
    public static double[] klFromFirst(double[][][] distributions) {
        int candidates = distributions[0].length;
        double[] kl = new double[candidates];
        for (double[][] example : distributions) {
            double[] reference = example[0];
            for (int k = 0; k < candidates; k++) {
                double sum = 0;
                for (int c = 0; c < reference.length; c++) {
                    if (reference[c] > 0) sum += reference[c] * (Math.log(reference[c]) - Math.log(example[k][c]));
                }
                kl[k] += sum / distributions.length;
            }
        }
        return kl;
    }

    public static int argmax(double[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) best = i;
        }
        return best;
    }
}
