package io.dln.core.model;

import io.dln.core.data.Example;
import io.dln.core.layer.PromptLayer;
import io.dln.core.layer.ResidualLayer;
import io.dln.core.lm.OutputClasses;
import io.dln.core.lm.VerbalizerAggregation;
import io.dln.core.loss.Loss;
import io.dln.core.random.Rng;
import io.dln.core.sampler.BackwardExample;
import io.dln.core.sampler.PosteriorSampler;
import io.dln.core.sampler.PromptSampler;
import io.dln.core.score.ScoreItem;
import io.dln.core.score.Scorer;
import io.dln.core.score.TargetScores;
import io.dln.core.score.VariationalScores;
import io.dln.core.template.TemplateLibrary;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A Deep Language Network of one or two layers, with the training step of the paper: DLN-1 proposes
 * output prompts and keeps the one under which the batch's targets are most likely; DLN-2 first
 * samples hidden texts from a posterior proposal, weights them, then updates the output prompt by its
 * ELBO and the hidden prompt by the ELBO of the weighted hidden texts.
 */
public final class DeepLanguageNetwork {

    private final DlnSettings settings;
    private final OutputClasses classes;
    private final Loss loss;
    private final PromptLayer hidden;
    private final ResidualLayer residual;
    private final PromptLayer output;
    private final PromptSampler promptSampler;
    private final PosteriorSampler posteriorSampler;
    private final boolean answerByClasses;
    private final boolean biasToClasses;
    private final Scorer proposalScorer;

    /** The backward template of the sequential prompt sampler: three numbered prompts per call. */
    static final String SEQUENTIAL_BACKWARD_TEMPLATE = "backward-sequential";

    public DeepLanguageNetwork(DlnSettings settings, TemplateLibrary templates, Backends backends,
                               OutputClasses classes, Loss loss) {
        this.settings = settings.validated();
        this.classes = classes;
        this.loss = loss;
        this.hidden = new PromptLayer(templates.get(settings.hiddenTemplate()), backends.forward(), backends.scoring(),
                settings.echoBurnIn());
        this.residual = new ResidualLayer(templates.get(settings.residualTemplate()));
        this.output = new PromptLayer(templates.get(settings.forwardTemplate()), backends.forward(), backends.scoring(),
                settings.echoBurnIn());
        boolean sequential = settings.promptSampling() == PromptSampling.SEQUENTIAL;
        this.promptSampler = new PromptSampler(templates.get(sequential ? SEQUENTIAL_BACKWARD_TEMPLATE : settings.backwardTemplate()),
                backends.backward(), settings.backwardTemperature(), settings.backwardMaxTokens(), sequential);
        this.proposalScorer = new Scorer(backends.scoring(), settings.echoBurnIn());
        this.posteriorSampler = new PosteriorSampler(settings.posteriorTemplates().stream().map(templates::get).toList(),
                backends.backward(), settings.backwardTemperature(), settings.backwardMaxTokens());
        this.answerByClasses = settings.forwardUseClasses() && classes != null && backends.scoring().capabilities().topLogprobs();
        // without top-k, the reference biases the forward generation to the class verbalizers' first tokens
        this.biasToClasses = settings.forwardUseClasses() && classes != null && !answerByClasses
                && backends.forward().capabilities().logitBias();
    }

    public DlnSettings settings() {
        return settings;
    }

    public Loss loss() {
        return loss;
    }

    public PromptLayer outputLayer() {
        return output;
    }

    /** Forgets remembered scores: a training iteration starts with none, whether it is resumed or not. */
    public void forgetScores() {
        hidden.forgetScores();
        output.forgetScores();
        proposalScorer.forget();
    }

    public Predictions predict(NetworkPrompts prompts, List<String> inputs) {
        return predict(prompts, inputs, 0);
    }

    public Predictions predict(NetworkPrompts prompts, List<String> inputs, long seed) {
        if (!settings.twoLayers()) return new Predictions(answer(prompts.p2(), inputs, seed), List.of());
        List<String> hiddens = hidden.generate(PromptLayer.repeat(prompts.p1(), inputs.size()), forHidden(inputs),
                settings.forwardTemperature(), settings.p1MaxTokens(), seed);
        return new Predictions(answer(prompts.p2(), residual.join(inputs, hiddens), seed), hiddens);
    }

    /** One training step on a batch; {@code memory} holds the best prompt pairs so far, best first. */
    public StepOutcome step(NetworkPrompts prompts, List<Example> batch, List<RememberedPrompts> memory,
                            double logpPenalty, Rng rng) {
        return step(prompts, batch, memory, Guidance.NONE, logpPenalty, rng);
    }

    /**
     * One training step under a person's {@code guidance}: the prompts they kept are candidates (and sources of
     * proposals) like remembered ones, the prompts they rejected are never chosen, and their feedback reaches the
     * backward LLM of its layer.
     */
    public StepOutcome step(NetworkPrompts prompts, List<Example> batch, List<RememberedPrompts> memory, Guidance guidance,
                            double logpPenalty, Rng rng) {
        List<String> inputs = batch.stream().map(Example::input).toList();
        List<String> targets = batch.stream().map(Example::target).toList();
        Predictions forward = predict(prompts, inputs, rng.nextSeed());
        double[] losses = new double[batch.size()];
        for (int i = 0; i < batch.size(); i++) losses[i] = loss.loss(forward.outputs().get(i), targets.get(i));
        double accuracy = 1.0 - mean(losses);
        StepContext step = new StepContext(inputs, shown(targets), new Predictions(shown(forward.outputs()), forward.hiddens()),
                losses, memory, guidance, rng);
        // An all-right batch still sharpens a DLN-1 prompt ranked by log-likelihood (its margin can grow), as in the
        // reference; ranked by accuracy every candidate would tie, and DLN-2 has no wrong answer to explain.
        boolean rankable = !settings.twoLayers() && settings.outputScoring() == OutputScoring.LOGPROBS;
        if (accuracy == 1.0 && !rankable) {
            return StepOutcome.unchanged(prompts, accuracy, step.examples(List.of()));
        }
        return settings.twoLayers()
                ? new VariationalStep(this, step, logpPenalty).run(prompts, accuracy)
                : oneLayerStep(prompts, step, accuracy);
    }

    private StepOutcome oneLayerStep(NetworkPrompts prompts, StepContext step, double accuracy) {
        CandidateSources sources = outputSources(prompts.p2(), step);
        List<String> candidates = proposeOutputPrompts(sources, step.inputs(), step).join();
        double[][][] scores = scoreOutput(candidates, singleSample(step.inputs()), step.targets()).join();
        double[] elbo = VariationalScores.elbo(scores, null);
        int best = sources.choose(candidates, elbo);
        return new StepOutcome(new NetworkPrompts(prompts.p1(), candidates.get(best)), 0, elbo[best], accuracy,
                List.of(), sources.describe(candidates, elbo, best), List.of(), List.of(), step.examples(List.of()));
    }

    // ---- pieces shared with the variational step: each sends its requests when called (drawing from the
    // step's random source in call order) and completes when the answers are in, so independent work overlaps ----

    CandidateSources outputSources(String current, StepContext step) {
        return new CandidateSources(current, step.memory().stream().map(RememberedPrompts::p2).toList(), step.guidance().p2());
    }

    CandidateSources hiddenSources(String current, StepContext step) {
        return new CandidateSources(current, step.memory().stream().map(RememberedPrompts::p1).toList(), step.guidance().p1());
    }

    CompletableFuture<List<String>> proposeOutputPrompts(CandidateSources sources, List<String> shownInputs, StepContext step) {
        List<BackwardExample> examples = new ArrayList<>();
        for (int i = 0; i < shownInputs.size(); i++) {
            examples.add(new BackwardExample(shownInputs.get(i), step.targets().get(i), step.forward().outputs().get(i), step.losses()[i]));
        }
        return promptSampler.candidatesAsync(examples, sources.prompts(), settings.pSamples(), settings.heldOutRanking(),
                sources.feedback(), step.rng()).thenApply(sources::allowed);
    }

    CompletableFuture<List<String>> proposeHiddenPrompts(CandidateSources sources, List<String> inputs, List<String> bestHiddens,
                                                         StepContext step) {
        List<BackwardExample> examples = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            examples.add(new BackwardExample(inputs.get(i), bestHiddens.get(i), step.forward().hiddens().get(i), step.losses()[i]));
        }
        return promptSampler.candidatesAsync(examples, sources.prompts(), settings.pSamples(), settings.heldOutRanking(),
                sources.feedback(), step.rng()).thenApply(sources::allowed);
    }

    /**
     * Output-layer scores indexed [example][sample][candidate]: log p(y_i | outputInputs_is, candidate_k),
     * or 1/0 accuracy when scoring by accuracy.
     */
    CompletableFuture<double[][][]> scoreOutput(List<String> candidates, List<List<String>> outputInputs, List<String> targets) {
        List<String> prompts = new ArrayList<>();
        List<String> inputs = new ArrayList<>();
        List<String> scoredTargets = new ArrayList<>();
        for (int i = 0; i < outputInputs.size(); i++) {
            for (String input : outputInputs.get(i)) {
                for (String candidate : candidates) {
                    prompts.add(candidate);
                    inputs.add(input);
                    scoredTargets.add(scoringTarget(targets.get(i)));
                }
            }
        }
        CompletableFuture<double[]> flat = settings.outputScoring() == OutputScoring.ACCURACY
                ? output.accuracyAsync(prompts, inputs, scoredTargets, loss, settings.p2MaxTokens())
                : output.logLikelihoodAsync(prompts, inputs, scoredTargets, classes, aggregation()).thenApply(TargetScores::logProbs);
        return flat.thenApply(f -> reshape(f, outputInputs.size(), outputInputs.getFirst().size(), candidates.size()));
    }

    /** Hidden-layer scores [example][sample][candidate]: log p(hidden_is | input_i, candidate_k). */
    CompletableFuture<double[][][]> scoreHidden(List<String> candidates, List<String> inputs, List<List<String>> hiddenTexts) {
        List<String> prompts = new ArrayList<>();
        List<String> flatInputs = new ArrayList<>();
        List<String> flatTargets = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            for (String text : hiddenTexts.get(i)) {
                for (String candidate : candidates) {
                    prompts.add(candidate);
                    flatInputs.add(inputs.get(i));
                    flatTargets.add(text);
                }
            }
        }
        return hidden.logLikelihoodAsync(prompts, flatInputs, flatTargets, null, null)
                .thenApply(scores -> reshape(scores.logProbs(), inputs.size(), hiddenTexts.getFirst().size(), candidates.size()));
    }

    /** Class distributions [example][candidate][class] of the output layer on the given inputs. */
    CompletableFuture<double[][][]> outputDistributions(List<String> candidates, List<String> inputs, List<String> targets) {
        List<String> prompts = new ArrayList<>();
        List<String> flatInputs = new ArrayList<>();
        List<String> flatTargets = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            for (String candidate : candidates) {
                prompts.add(candidate);
                flatInputs.add(inputs.get(i));
                flatTargets.add(scoringTarget(targets.get(i)));
            }
        }
        return output.logLikelihoodAsync(prompts, flatInputs, flatTargets, classes, aggregation()).thenApply(scores -> {
            List<List<Double>> distributions = scores.classDistributions();
            double[][][] result = new double[inputs.size()][candidates.size()][];
            for (int i = 0, n = 0; i < inputs.size(); i++) {
                for (int k = 0; k < candidates.size(); k++, n++) {
                    result[i][k] = distributions.get(n).stream().mapToDouble(Double::doubleValue).toArray();
                }
            }
            return result;
        });
    }

    /** log p(h~ | x, p1) for the prior term of the posterior weights, [example][sample]. */
    CompletableFuture<double[][]> hiddenPrior(String p1, List<String> inputs, List<List<String>> samples) {
        return scoreHidden(List.of(p1), inputs, samples).thenApply(scores -> {
            double[][] prior = new double[inputs.size()][];
            for (int i = 0; i < inputs.size(); i++) {
                prior[i] = new double[samples.get(i).size()];
                for (int s = 0; s < prior[i].length; s++) prior[i][s] = scores[i][s][0];
            }
            return prior;
        });
    }

    /** The samples h~ per example, and the proposal prompt each came from (the forward h for examples not rewritten). */
    CompletableFuture<PosteriorSampler.Samples> samplePosterior(NetworkPrompts prompts, StepContext step, List<String> hiddenInputs) {
        List<Integer> rewrite = new ArrayList<>();
        for (int i = 0; i < step.inputs().size(); i++) {
            if (!settings.rewriteLossOnly() || step.losses()[i] > 0) rewrite.add(i);
        }
        return posteriorSampler.sampleAsync(
                rewrite.stream().map(hiddenInputs::get).toList(),
                rewrite.stream().map(step.targets()::get).toList(),
                rewrite.stream().map(step.forward().hiddens()::get).toList(),
                prompts.p1(), prompts.p2(), settings.hSamples(), step.rng()).thenApply(sampled -> {
                    List<List<String>> samples = new ArrayList<>();
                    List<List<String>> proposals = new ArrayList<>();
                    for (int i = 0, r = 0; i < step.inputs().size(); i++) {
                        if (r < rewrite.size() && rewrite.get(r) == i) {
                            proposals.add(sampled.prompts().get(r));
                            samples.add(sampled.texts().get(r++));
                        } else {
                            samples.add(PromptLayer.repeat(step.forward().hiddens().get(i), settings.hSamples()));
                            proposals.add(PromptLayer.repeat(hidden.context(prompts.p1(), hiddenInputs.get(i)), settings.hSamples()));
                        }
                    }
                    return new PosteriorSampler.Samples(samples, proposals);
                });
    }

    /** log q(h~): each sample's mean token log-probability after the proposal prompt it was drawn from, [example][sample]. */
    CompletableFuture<double[][]> proposalLogProbs(PosteriorSampler.Samples samples) {
        List<ScoreItem> items = new ArrayList<>();
        for (int i = 0; i < samples.texts().size(); i++) {
            for (int j = 0; j < samples.texts().get(i).size(); j++) {
                items.add(new ScoreItem(samples.prompts().get(i).get(j), samples.texts().get(i).get(j)));
            }
        }
        int n = samples.texts().size();
        int s = samples.texts().getFirst().size();
        return proposalScorer.scoreAsync(items, null, null).thenApply(scores -> {
            double[][] logq = new double[n][s];
            for (int i = 0, k = 0; i < n; i++) {
                for (int j = 0; j < s; j++) logq[i][j] = scores.logProbs()[k++];
            }
            return logq;
        });
    }

    /**
     * Targets and outputs as the backward pass sees and scoring scores them: for a free-text task, normalised as
     * the loss reads them when {@code normalizeFreeText} is on (the reference post-processes both); with output
     * classes unchanged, as scoring maps them to their class.
     */
    private List<String> shown(List<String> texts) {
        if (classes != null || !settings.normalizeFreeText()) return texts;
        return texts.stream().map(loss::normalize).toList();
    }

    List<String> forHidden(List<String> inputs) {
        return settings.stripOptionsForHidden() ? inputs.stream().map(DeepLanguageNetwork::stripOptions).toList() : inputs;
    }

    List<String> joinResidual(String input, List<String> hiddens) {
        return hiddens.stream().map(h -> residual.join(input, h)).toList();
    }

    List<String> joinResidual(List<String> inputs, List<String> hiddens) {
        return residual.join(inputs, hiddens);
    }

    /** The text scored for a target: its class's prototype when the task has classes. */
    String scoringTarget(String target) {
        if (classes == null) return target;
        int index = classes.indexOf(target);
        if (index < 0) index = classes.indexOf(loss.normalize(target));
        if (index < 0) {
            throw new IllegalArgumentException("target '" + target + "' matches none of the output classes " + classes.protos());
        }
        return classes.prototype(index);
    }

    private List<String> answer(String p2, List<String> inputs, long seed) {
        List<String> prompts = PromptLayer.repeat(p2, inputs.size());
        if (answerByClasses) return output.classify(prompts, inputs, classes);
        return output.generateAsync(prompts, inputs, settings.forwardTemperature(), settings.p2MaxTokens(), seed,
                biasToClasses ? classVerbalizers() : List.of()).join();
    }

    /** Every verbalizer of every class, with and without a leading space (servers tokenize the two apart). */
    private List<String> classVerbalizers() {
        List<String> texts = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            for (String v : classes.verbalizers(c)) {
                if (!texts.contains(v)) texts.add(v);
                if (!texts.contains(" " + v)) texts.add(" " + v);
            }
        }
        return texts;
    }

    private VerbalizerAggregation aggregation() {
        return settings.forwardUseClasses() ? VerbalizerAggregation.SUM : VerbalizerAggregation.MAX;
    }

    private List<List<String>> singleSample(List<String> inputs) {
        return inputs.stream().map(List::of).toList();
    }

    static String stripOptions(String input) {
        int at = input.indexOf("Options:");
        return at < 0 ? input : input.substring(0, at).strip();
    }

    static double[][][] reshape(double[] flat, int examples, int samples, int candidates) {
        double[][][] shaped = new double[examples][samples][candidates];
        for (int i = 0, n = 0; i < examples; i++) {
            for (int s = 0; s < samples; s++) {
                for (int k = 0; k < candidates; k++) shaped[i][s][k] = flat[n++];
            }
        }
        return shaped;
    }

    static double mean(double[] values) {
        double sum = 0;
        for (double v : values) sum += v;
        return values.length == 0 ? 0 : sum / values.length;
    }

    /** What a step knows after its forward pass. */
    record StepContext(List<String> inputs, List<String> targets, Predictions forward, double[] losses,
                       List<RememberedPrompts> memory, Guidance guidance, Rng rng) {

        /** The batch as the step saw it; {@code posterior} holds each example's h~ (empty when none were drawn). */
        List<ExampleOutcome> examples(List<List<HiddenSample>> posterior) {
            List<ExampleOutcome> examples = new ArrayList<>(inputs.size());
            for (int i = 0; i < inputs.size(); i++) {
                String hidden = forward.hiddens().isEmpty() ? null : forward.hiddens().get(i);
                examples.add(new ExampleOutcome(inputs.get(i), targets.get(i), hidden, forward.outputs().get(i), losses[i],
                        posterior.isEmpty() ? List.of() : posterior.get(i)));
            }
            return examples;
        }
    }
}
