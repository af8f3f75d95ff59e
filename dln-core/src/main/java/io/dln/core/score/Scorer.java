package io.dln.core.score;

import io.dln.core.lm.ClassDistribution;
import io.dln.core.lm.ClassDistributionRequest;
import io.dln.core.lm.LanguageModel;
import io.dln.core.lm.LogProbability;
import io.dln.core.lm.LogProbabilityRequest;
import io.dln.core.lm.OutputClasses;
import io.dln.core.lm.VerbalizerAggregation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Log-likelihood scoring of targets: by echoed token log-probabilities for free text, or, when the
 * task has output classes, by the class distribution of the first answer token. Identical requests in
 * one batch are sent once; a class distribution depends only on its context, so all targets after the
 * same context share one call.
 */
public final class Scorer {

    private final LanguageModel model;

    public Scorer(LanguageModel model) {
        this.model = model;
    }

    public TargetScores score(List<ScoreItem> items, OutputClasses classes, VerbalizerAggregation aggregation) {
        return classes == null ? scoreText(items) : scoreClasses(items, classes, aggregation);
    }

    public TargetScores scoreText(List<ScoreItem> items) {
        Map<ScoreItem, Integer> unique = indexUnique(items);
        List<LogProbabilityRequest> requests = unique.keySet().stream()
                .map(item -> new LogProbabilityRequest(item.context(), item.target()))
                .toList();
        List<LogProbability> results = model.logProbability(requests).join();
        double[] logProbs = new double[items.size()];
        for (int i = 0; i < items.size(); i++) {
            logProbs[i] = results.get(unique.get(items.get(i))).meanLogProb();
        }
        return new TargetScores(logProbs, null);
    }

    public TargetScores scoreClasses(List<ScoreItem> items, OutputClasses classes, VerbalizerAggregation aggregation) {
        List<ClassDistribution> distributions = classDistributions(items.stream().map(ScoreItem::context).toList(),
                classes, aggregation);
        double[] logProbs = new double[items.size()];
        List<List<Double>> perItem = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            String target = items.get(i).target();
            int classIndex = classes.indexOf(target);
            if (classIndex < 0) {
                throw new IllegalArgumentException("target '" + target + "' is none of the output classes " + classes.protos());
            }
            logProbs[i] = Math.log(distributions.get(i).probability(classIndex));
            perItem.add(distributions.get(i).probabilities());
        }
        return new TargetScores(logProbs, perItem);
    }

    /** The class distribution after each context, in order. */
    public List<ClassDistribution> classDistributions(List<String> contexts, OutputClasses classes,
                                                      VerbalizerAggregation aggregation) {
        Map<String, Integer> unique = indexUnique(contexts);
        List<ClassDistributionRequest> requests = unique.keySet().stream()
                .map(context -> new ClassDistributionRequest(context, classes, aggregation))
                .toList();
        List<ClassDistribution> results = model.classDistribution(requests).join();
        return contexts.stream().map(context -> results.get(unique.get(context))).toList();
    }

    private static <T> Map<T, Integer> indexUnique(List<T> items) {
        Map<T, Integer> unique = new LinkedHashMap<>();
        for (T item : items) unique.putIfAbsent(item, unique.size());
        return unique;
    }
}
