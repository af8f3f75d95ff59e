package io.dln.core.testing;

import io.dln.core.lm.Capabilities;
import io.dln.core.lm.ClassDistribution;
import io.dln.core.lm.ClassDistributionRequest;
import io.dln.core.lm.Generation;
import io.dln.core.lm.GenerationRequest;
import io.dln.core.lm.LanguageModel;
import io.dln.core.lm.LogProbability;
import io.dln.core.lm.LogProbabilityRequest;
import io.dln.core.lm.TokenUsage;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * A language model whose every answer the test decides: generation, log-probabilities and class
 * distributions are functions of the request. Every request is recorded. Each call costs one
 * prompt token and one completion token, so token accounting can be checked too.
 */
public final class ScriptedLanguageModel implements LanguageModel {

    private Function<GenerationRequest, String> generation = r -> "";
    private ToDoubleFunction<LogProbabilityRequest> logProbability = r -> -1.0;
    private Function<ClassDistributionRequest, List<Double>> classDistribution =
            r -> Collections.nCopies(r.classes().size(), 1.0 / r.classes().size());
    private Capabilities capabilities = Capabilities.ALL;

    public final List<GenerationRequest> generations = Collections.synchronizedList(new ArrayList<>());
    public final List<LogProbabilityRequest> logProbabilities = Collections.synchronizedList(new ArrayList<>());
    public final List<ClassDistributionRequest> classDistributions = Collections.synchronizedList(new ArrayList<>());

    public ScriptedLanguageModel generating(Function<GenerationRequest, String> generation) {
        this.generation = generation;
        return this;
    }

    public ScriptedLanguageModel scoring(ToDoubleFunction<LogProbabilityRequest> logProbability) {
        this.logProbability = logProbability;
        return this;
    }

    public ScriptedLanguageModel classifying(Function<ClassDistributionRequest, List<Double>> classDistribution) {
        this.classDistribution = classDistribution;
        return this;
    }

    public ScriptedLanguageModel withCapabilities(Capabilities capabilities) {
        this.capabilities = capabilities;
        return this;
    }

    @Override
    public CompletableFuture<List<Generation>> generate(List<GenerationRequest> requests) {
        generations.addAll(requests);
        return CompletableFuture.completedFuture(requests.stream().map(r -> {
            List<String> texts = new ArrayList<>();
            for (int i = 0; i < r.n(); i++) texts.add(generation.apply(r));
            return new Generation(texts, new TokenUsage(1, 1));
        }).toList());
    }

    @Override
    public CompletableFuture<List<LogProbability>> logProbability(List<LogProbabilityRequest> requests) {
        logProbabilities.addAll(requests);
        return CompletableFuture.completedFuture(requests.stream()
                .map(r -> new LogProbability(logProbability.applyAsDouble(r), 1, new TokenUsage(1, 1)))
                .toList());
    }

    @Override
    public CompletableFuture<List<ClassDistribution>> classDistribution(List<ClassDistributionRequest> requests) {
        classDistributions.addAll(requests);
        return CompletableFuture.completedFuture(requests.stream()
                .map(r -> new ClassDistribution(classDistribution.apply(r), new TokenUsage(1, 1)))
                .toList());
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    /** The section of a rendered template that follows {@code header} ("### Input" etc.), up to the next header. */
    public static String section(String prompt, String header) {
        int at = prompt.indexOf(header + "\n");
        if (at < 0) return null;
        int start = at + header.length() + 1;
        int end = prompt.indexOf("\n\n###", start);
        if (end < 0) end = prompt.indexOf("\n###", start);
        return (end < 0 ? prompt.substring(start) : prompt.substring(start, end)).strip();
    }

    public static boolean isBackward(String prompt) {
        return prompt.contains("### Improved instruction");
    }

    public static boolean isPosterior(String prompt) {
        return prompt.contains("### Analysis that leads to the correct answer") || prompt.contains("### Another analysis");
    }

    public static boolean isHiddenForward(String prompt) {
        return prompt.endsWith("### Analysis\n") && !isPosterior(prompt);
    }
}
