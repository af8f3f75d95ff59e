package io.dln.core.layer;

import io.dln.core.lm.GenerationRequest;
import io.dln.core.lm.LanguageModel;
import io.dln.core.lm.OutputClasses;
import io.dln.core.lm.VerbalizerAggregation;
import io.dln.core.loss.Loss;
import io.dln.core.score.ScoreItem;
import io.dln.core.score.Scorer;
import io.dln.core.score.TargetScores;
import io.dln.core.template.Template;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A language layer: output = LM(F(prompt, input)). The prompt is the layer's trainable parameter and
 * is passed in, so one layer object can evaluate many candidate prompts in one batch.
 */
public final class PromptLayer {

    private final Template template;
    private final LanguageModel model;
    private final Scorer scorer;

    public PromptLayer(Template template, LanguageModel model, LanguageModel scoringModel) {
        this(template, model, scoringModel, 0);
    }

    /** {@code burnIn}: the share of a scored text's first tokens left out of its mean log-probability. */
    public PromptLayer(Template template, LanguageModel model, LanguageModel scoringModel, double burnIn) {
        this.template = template;
        this.model = model;
        this.scorer = new Scorer(scoringModel, burnIn);
    }

    public Template template() {
        return template;
    }

    /** Forgets the scores remembered so far (see {@link Scorer}). */
    public void forgetScores() {
        scorer.forget();
    }

    public String context(String prompt, String input) {
        return template.render(Map.of("prompt", prompt, "input", input));
    }

    /** Generated outputs, one per input, each with its own prompt. */
    public List<String> generate(List<String> prompts, List<String> inputs, double temperature, int maxTokens, long seed) {
        return generateAsync(prompts, inputs, temperature, maxTokens, seed).join();
    }

    public CompletableFuture<List<String>> generateAsync(List<String> prompts, List<String> inputs, double temperature,
                                                         int maxTokens, long seed) {
        return generateAsync(prompts, inputs, temperature, maxTokens, seed, List.of());
    }

    /** Generation pushed towards the first tokens of {@code favoured} (a logit bias), e.g. the output classes. */
    public CompletableFuture<List<String>> generateAsync(List<String> prompts, List<String> inputs, double temperature,
                                                         int maxTokens, long seed, List<String> favoured) {
        List<GenerationRequest> requests = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            requests.add(new GenerationRequest(context(prompts.get(i), inputs.get(i)), 1, temperature, maxTokens,
                    template.stop(), temperature == 0 ? 0 : seed + i, favoured));
        }
        return model.generate(requests).thenApply(generations -> generations.stream().map(g -> clean(g.first())).toList());
    }

    /** The most likely output class for each input: the argmax of the summed verbalizer mass. */
    public List<String> classify(List<String> prompts, List<String> inputs, OutputClasses classes) {
        List<String> contexts = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) contexts.add(context(prompts.get(i), inputs.get(i)));
        return scorer.classDistributions(contexts, classes, VerbalizerAggregation.SUM).stream()
                .map(d -> classes.prototype(d.argmax()))
                .toList();
    }

    /** log p(target_i | F(prompt_i, input_i)), over output classes when there are any. */
    public TargetScores logLikelihood(List<String> prompts, List<String> inputs, List<String> targets,
                                      OutputClasses classes, VerbalizerAggregation aggregation) {
        return logLikelihoodAsync(prompts, inputs, targets, classes, aggregation).join();
    }

    public CompletableFuture<TargetScores> logLikelihoodAsync(List<String> prompts, List<String> inputs, List<String> targets,
                                                              OutputClasses classes, VerbalizerAggregation aggregation) {
        List<ScoreItem> items = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            items.add(new ScoreItem(context(prompts.get(i), inputs.get(i)), targets.get(i)));
        }
        return scorer.scoreAsync(items, classes, aggregation);
    }

    /** 1 where the greedy output is right, 0 where it is wrong: scoring for backends without log-probabilities. */
    public CompletableFuture<double[]> accuracyAsync(List<String> prompts, List<String> inputs, List<String> targets,
                                                     Loss loss, int maxTokens) {
        return generateAsync(prompts, inputs, 0.0, maxTokens, 0).thenApply(outputs -> {
            double[] accuracy = new double[outputs.size()];
            for (int i = 0; i < outputs.size(); i++) accuracy[i] = 1.0 - loss.loss(outputs.get(i), targets.get(i));
            return accuracy;
        });
    }

    static String clean(String text) {
        String cleaned = text;
        while (cleaned.contains("\n\n")) cleaned = cleaned.replace("\n\n", "\n");
        return cleaned.strip();
    }

    public static <T> List<T> repeat(T value, int times) {
        return java.util.Collections.nCopies(times, value);
    }
}
