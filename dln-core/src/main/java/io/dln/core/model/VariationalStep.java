package io.dln.core.model;

import io.dln.core.model.DeepLanguageNetwork.StepContext;
import io.dln.core.score.VariationalScores;

import java.util.ArrayList;
import java.util.List;

/**
 * The DLN-2 update (the paper's variational step): sample hidden texts h~ from the posterior proposal,
 * weight them by how well they explain the answer, then pick the output prompt with the best weighted
 * log-likelihood (minus the trust-region KL) and the hidden prompt that makes the weighted h~ most likely
 * (minus the penalty on hidden texts that led to wrong answers).
 */
final class VariationalStep {

    private final DeepLanguageNetwork network;
    private final DlnSettings settings;
    private final StepContext step;
    private final double logpPenalty;

    VariationalStep(DeepLanguageNetwork network, StepContext step, double logpPenalty) {
        this.network = network;
        this.settings = network.settings();
        this.step = step;
        this.logpPenalty = logpPenalty;
    }

    StepOutcome run(NetworkPrompts prompts, double accuracy) {
        List<String> inputs = step.inputs();
        List<String> hiddenInputs = network.forHidden(inputs);
        List<List<String>> samples = network.samplePosterior(prompts, step, hiddenInputs);
        List<List<String>> residuals = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) residuals.add(network.joinResidual(inputs.get(i), samples.get(i)));

        double[][] weights = posteriorWeights(prompts, hiddenInputs, samples, residuals);
        List<String> bestHiddens = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) bestHiddens.add(samples.get(i).get(VariationalScores.argmax(weights[i])));
        if (settings.useHArgmax()) {
            samples = bestHiddens.stream().map(List::of).toList();
            residuals = new ArrayList<>();
            for (int i = 0; i < inputs.size(); i++) residuals.add(network.joinResidual(inputs.get(i), samples.get(i)));
            weights = new double[inputs.size()][];
            for (int i = 0; i < inputs.size(); i++) weights[i] = new double[]{1.0};
        }

        String p2 = prompts.p2();
        double elbo2 = 0;
        List<Candidate> p2Candidates = List.of();
        if (settings.trainP2()) {
            List<String> forwardResiduals = network.joinResidual(inputs, step.forward().hiddens());
            List<String> candidates = network.proposeOutputPrompts(p2, forwardResiduals, step);
            double[] elbo = VariationalScores.elbo(network.scoreOutput(candidates, residuals, step.targets()), weights);
            double[] reward = elbo.clone();
            if (settings.trustFactor() > 0) {
                double[] kl = VariationalScores.klFromFirst(network.outputDistributions(candidates, forwardResiduals, step.targets()));
                for (int k = 0; k < reward.length; k++) reward[k] -= settings.trustFactor() * kl[k];
            }
            int best = VariationalScores.argmax(reward);
            p2 = candidates.get(best);
            elbo2 = reward[best];
            p2Candidates = network.candidates(candidates, reward);
        }

        String p1 = prompts.p1();
        double elbo1 = 0;
        List<Candidate> p1Candidates = List.of();
        if (settings.trainP1()) {
            List<String> candidates = network.proposeHiddenPrompts(p1, hiddenInputs, bestHiddens, step);
            List<List<String>> withForwardHidden = new ArrayList<>();
            for (int i = 0; i < inputs.size(); i++) {
                List<String> texts = new ArrayList<>();
                texts.add(step.forward().hiddens().get(i));
                texts.addAll(samples.get(i));
                withForwardHidden.add(texts);
            }
            double[][][] scores = network.scoreHidden(candidates, hiddenInputs, withForwardHidden);
            double[] elbo = VariationalScores.elbo(dropFirstSample(scores), weights);
            double[] reward = elbo.clone();
            if (logpPenalty > 0) {
                double[] penalty = wrongHiddenPenalty(scores);
                for (int k = 0; k < reward.length; k++) reward[k] -= logpPenalty * penalty[k];
            }
            int best = VariationalScores.argmax(reward);
            p1 = candidates.get(best);
            elbo1 = elbo[best];
            p1Candidates = network.candidates(candidates, reward);
        }
        return new StepOutcome(new NetworkPrompts(p1, p2), elbo1, elbo2, accuracy, p1Candidates, p2Candidates,
                samples, asLists(weights));
    }

    private double[][] posteriorWeights(NetworkPrompts prompts, List<String> hiddenInputs, List<List<String>> samples,
                                        List<List<String>> residuals) {
        int n = samples.size();
        int s = samples.getFirst().size();
        if (s == 1 || settings.posteriorTemperature() >= 100.0) return uniform(n, s);
        double[][][] answerScores = network.scoreOutput(List.of(prompts.p2()), residuals, step.targets());
        double[][] logits = new double[n][s];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < s; j++) logits[i][j] = answerScores[i][j][0];
        }
        if (settings.includePrior() && settings.outputScoring() == OutputScoring.LOGPROBS) {
            double[][] prior = network.hiddenPrior(prompts.p1(), hiddenInputs, samples);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < s; j++) logits[i][j] += prior[i][j];
            }
        }
        return VariationalScores.posteriorWeights(logits, settings.posteriorTemperature());
    }

    /** Mean over the batch of log p(h_i | x_i, candidate) for the examples answered wrongly, per candidate. */
    private double[] wrongHiddenPenalty(double[][][] scores) {
        int candidates = scores[0][0].length;
        double[] penalty = new double[candidates];
        for (int i = 0; i < scores.length; i++) {
            if (step.losses()[i] > 0) {
                for (int k = 0; k < candidates; k++) penalty[k] += scores[i][0][k] / scores.length;
            }
        }
        return penalty;
    }

    private static List<List<Double>> asLists(double[][] weights) {
        return java.util.Arrays.stream(weights).map(row -> java.util.Arrays.stream(row).boxed().toList()).toList();
    }

    private static double[][][] dropFirstSample(double[][][] scores) {
        double[][][] rest = new double[scores.length][][];
        for (int i = 0; i < scores.length; i++) rest[i] = java.util.Arrays.copyOfRange(scores[i], 1, scores[i].length);
        return rest;
    }

    private static double[][] uniform(int n, int s) {
        double[][] weights = new double[n][s];
        for (double[] row : weights) java.util.Arrays.fill(row, 1.0 / s);
        return weights;
    }
}
