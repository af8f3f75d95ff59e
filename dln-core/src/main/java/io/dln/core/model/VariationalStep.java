package io.dln.core.model;

import io.dln.core.model.DeepLanguageNetwork.StepContext;
import io.dln.core.sampler.PosteriorSampler;
import io.dln.core.score.VariationalScores;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

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

    /**
     * Requests go out as soon as what they need is known and are awaited as late as possible: h~ samples
     * and output-prompt proposals together after the forward pass, the output candidates' scores while
     * the posterior weights are computed, the hidden-prompt proposals as soon as the weights are in.
     */
    StepOutcome run(NetworkPrompts prompts, double accuracy) {
        List<String> inputs = step.inputs();
        List<String> hiddenInputs = network.forHidden(inputs);
        List<String> forwardResiduals = network.joinResidual(inputs, step.forward().hiddens());
        CandidateSources p1Sources = network.hiddenSources(prompts.p1(), step);
        CandidateSources p2Sources = network.outputSources(prompts.p2(), step);
        CompletableFuture<PosteriorSampler.Samples> sampling = network.samplePosterior(prompts, step, hiddenInputs);
        CompletableFuture<List<String>> p2Proposals = settings.trainP2()
                ? network.proposeOutputPrompts(p2Sources, forwardResiduals, step)
                : CompletableFuture.completedFuture(List.of(prompts.p2()));

        PosteriorSampler.Samples sampled = sampling.join();
        List<List<String>> samples = sampled.texts();
        List<List<String>> residuals = residuals(inputs, samples);
        CompletableFuture<Posterior> weighing = posterior(prompts, hiddenInputs, sampled, residuals);
        List<String> p2Candidates = p2Proposals.join();
        CompletableFuture<double[][][]> p2Scores = settings.trainP2() && !settings.useHArgmax()
                ? network.scoreOutput(p2Candidates, residuals, step.targets()) : null;
        CompletableFuture<double[][][]> p2Drift = settings.trainP2() && settings.trustFactor() > 0
                ? network.outputDistributions(p2Candidates, forwardResiduals, step.targets()) : null;

        Posterior posterior = weighing.join();
        List<List<HiddenSample>> drawn = posterior.describe(samples);
        double[][] weights = posterior.weights();
        List<String> bestHiddens = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) bestHiddens.add(samples.get(i).get(VariationalScores.argmax(weights[i])));
        if (settings.useHArgmax()) {
            samples = bestHiddens.stream().map(List::of).toList();
            residuals = residuals(inputs, samples);
            weights = new double[inputs.size()][];
            for (int i = 0; i < inputs.size(); i++) weights[i] = new double[]{1.0};
            if (settings.trainP2()) p2Scores = network.scoreOutput(p2Candidates, residuals, step.targets());
        }

        CompletableFuture<double[][][]> p1Scores = null;
        List<String> p1Candidates = List.of(prompts.p1());
        if (settings.trainP1()) {
            p1Candidates = network.proposeHiddenPrompts(p1Sources, hiddenInputs, bestHiddens, step).join();
            p1Scores = network.scoreHidden(p1Candidates, hiddenInputs, withForwardHidden(samples));
        }

        Update p2 = settings.trainP2() ? outputUpdate(p2Sources, p2Candidates, p2Scores.join(), p2Drift, weights) : Update.kept(prompts.p2());
        Update p1 = Update.kept(prompts.p1());
        if (settings.trainP1()) {
            p1 = hiddenUpdate(p1Sources, p1Candidates, p1Scores.join(), weights);
            // each further step proposes from the last one's winner, as the reference's num_p1_steps
            for (int round = 1; round < settings.p1Steps(); round++) {
                CandidateSources sources = network.hiddenSources(p1.prompt(), step);
                p1Candidates = network.proposeHiddenPrompts(sources, hiddenInputs, bestHiddens, step).join();
                p1 = hiddenUpdate(sources, p1Candidates,
                        network.scoreHidden(p1Candidates, hiddenInputs, withForwardHidden(samples)).join(), weights);
            }
        }
        return new StepOutcome(new NetworkPrompts(p1.prompt(), p2.prompt()), p1.elbo(), p2.elbo(), accuracy,
                p1.candidates(), p2.candidates(), samples, asLists(weights), step.examples(drawn));
    }

    /** The chosen prompt, the ELBO it is credited with, and every candidate with its reward. */
    private record Update(String prompt, double elbo, List<Candidate> candidates) {
        static Update kept(String prompt) {
            return new Update(prompt, 0, List.of());
        }
    }

    /** Output prompt: the weighted log-likelihood of the answers, minus the trust-region KL when asked. */
    private Update outputUpdate(CandidateSources sources, List<String> candidates, double[][][] scores,
                                CompletableFuture<double[][][]> drift, double[][] weights) {
        double[] reward = VariationalScores.elbo(scores, weights);
        if (drift != null) {
            double[] kl = VariationalScores.klFromFirst(drift.join());
            for (int k = 0; k < reward.length; k++) reward[k] -= settings.trustFactor() * kl[k];
        }
        int best = sources.choose(candidates, reward);
        return new Update(candidates.get(best), reward[best], sources.describe(candidates, reward, best));
    }

    /**
     * Hidden prompt: the weighted log-likelihood of h~ (or, with {@code useNce}, how well the candidate tells each
     * example's weighted h~ from its other samples), minus the penalty on hidden texts that led to wrong answers.
     */
    private Update hiddenUpdate(CandidateSources sources, List<String> candidates, double[][][] scores, double[][] weights) {
        double[][][] samples = dropFirstSample(scores);
        double[] elbo = settings.useNce() ? VariationalScores.nce(samples, weights) : VariationalScores.elbo(samples, weights);
        double[] reward = elbo.clone();
        if (logpPenalty > 0) {
            double[] penalty = wrongHiddenPenalty(scores);
            for (int k = 0; k < reward.length; k++) reward[k] -= logpPenalty * penalty[k];
        }
        int best = sources.choose(candidates, reward);
        return new Update(candidates.get(best), elbo[best], sources.describe(candidates, reward, best));
    }

    private List<List<String>> residuals(List<String> inputs, List<List<String>> samples) {
        List<List<String>> residuals = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) residuals.add(network.joinResidual(inputs.get(i), samples.get(i)));
        return residuals;
    }

    /** Per example: the forward pass's hidden text first, then the samples h~. */
    private List<List<String>> withForwardHidden(List<List<String>> samples) {
        List<List<String>> texts = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            List<String> row = new ArrayList<>();
            row.add(step.forward().hiddens().get(i));
            row.addAll(samples.get(i));
            texts.add(row);
        }
        return texts;
    }

    /**
     * The posterior over each example's h~: its weights and the log-probabilities they come from (null when a
     * single sample or a flat posterior needs none, and the prior when it is left out).
     */
    private record Posterior(double[][] weights, double[][] answerLogLikelihoods, double[][] priors) {

        List<List<HiddenSample>> describe(List<List<String>> samples) {
            List<List<HiddenSample>> described = new ArrayList<>(samples.size());
            for (int i = 0; i < samples.size(); i++) {
                List<HiddenSample> row = new ArrayList<>(samples.get(i).size());
                for (int s = 0; s < samples.get(i).size(); s++) {
                    row.add(new HiddenSample(samples.get(i).get(s), weights[i][s],
                            answerLogLikelihoods == null ? null : answerLogLikelihoods[i][s], priors == null ? null : priors[i][s]));
                }
                described.add(row);
            }
            return described;
        }
    }

    /**
     * The posterior weights of the samples: softmax over each example's samples of (log p(y | x, h~) + the prior
     * log p(h~ | x) when asked, - log p(y | h~) with MI regularisation, - log q(h~) with correct weighting) / T.
     */
    private CompletableFuture<Posterior> posterior(NetworkPrompts prompts, List<String> hiddenInputs,
                                                   PosteriorSampler.Samples sampled, List<List<String>> residuals) {
        List<List<String>> samples = sampled.texts();
        int n = samples.size();
        int s = samples.getFirst().size();
        if (s == 1 || settings.posteriorTemperature() >= 100.0) {
            return CompletableFuture.completedFuture(new Posterior(uniform(n, s), null, null));
        }
        boolean logprobs = settings.outputScoring() == OutputScoring.LOGPROBS;
        CompletableFuture<double[][][]> answerScores = network.scoreOutput(List.of(prompts.p2()), residuals, step.targets());
        CompletableFuture<double[][]> prior = settings.includePrior() && logprobs
                ? network.hiddenPrior(prompts.p1(), hiddenInputs, samples) : none();
        CompletableFuture<double[][]> mutualInformation = settings.posteriorMiRegularization() && logprobs
                ? network.scoreOutput(List.of(prompts.p2()), samples, step.targets()).thenApply(VariationalStep::firstCandidate) : none();
        CompletableFuture<double[][]> proposal = settings.posteriorCorrectWeighting() && logprobs
                ? network.proposalLogProbs(sampled) : none();
        return CompletableFuture.allOf(answerScores, prior, mutualInformation, proposal).thenApply(done -> {
            double[][] likelihoods = firstCandidate(answerScores.join());
            double[][] priors = prior.join();
            double[][] logits = new double[n][s];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < s; j++) {
                    logits[i][j] = likelihoods[i][j] + at(priors, i, j) - at(mutualInformation.join(), i, j)
                            - at(proposal.join(), i, j);
                }
            }
            return new Posterior(VariationalScores.posteriorWeights(logits, settings.posteriorTemperature()), likelihoods, priors);
        });
    }

    private static CompletableFuture<double[][]> none() {
        return CompletableFuture.completedFuture(null);
    }

    private static double at(double[][] terms, int i, int j) {
        return terms == null ? 0 : terms[i][j];
    }

    private static double[][] firstCandidate(double[][][] scores) {
        double[][] first = new double[scores.length][];
        for (int i = 0; i < scores.length; i++) {
            first[i] = new double[scores[i].length];
            for (int j = 0; j < scores[i].length; j++) first[i][j] = scores[i][j][0];
        }
        return first;
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
