package io.dln.core.score;

import io.dln.core.lm.ClassDistribution;
import io.dln.core.lm.ClassDistributionRequest;
import io.dln.core.lm.LanguageModel;
import io.dln.core.lm.LogProbability;
import io.dln.core.lm.LogProbabilityRequest;
import io.dln.core.lm.OutputClasses;
import io.dln.core.lm.VerbalizerAggregation;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Log-likelihood scoring of targets: by echoed token log-probabilities for free text, or, when the
 * task has output classes, by the class distribution of the first answer token. A request is sent
 * once, however often a batch or later batches ask for it; a class distribution depends only on its
 * context, so all targets after the same context share one call.
 */
public final class Scorer {

    /** Well above the distinct requests of one DLN-2 iteration (about 600 for a batch of 10). */
    private static final int MEMO_CAPACITY = 4096;

    private final LanguageModel model;
    private final double burnIn;
    private final ScoreMemo<LogProbabilityRequest, LogProbability> logProbabilities = new ScoreMemo<>(MEMO_CAPACITY);
    private final ScoreMemo<ClassDistributionRequest, ClassDistribution> distributions = new ScoreMemo<>(MEMO_CAPACITY);

    public Scorer(LanguageModel model) {
        this(model, 0);
    }

    /** {@code burnIn}: the share of each free-text target's first tokens left out of its mean log-probability. */
    public Scorer(LanguageModel model, double burnIn) {
        this.model = model;
        this.burnIn = burnIn;
    }

    /** Forgets the answers seen so far. */
    public void forget() {
        logProbabilities.clear();
        distributions.clear();
    }

    public TargetScores score(List<ScoreItem> items, OutputClasses classes, VerbalizerAggregation aggregation) {
        return scoreAsync(items, classes, aggregation).join();
    }

    /** Sends the requests now and completes when their scores are in, so independent scorings can overlap. */
    public CompletableFuture<TargetScores> scoreAsync(List<ScoreItem> items, OutputClasses classes,
                                                      VerbalizerAggregation aggregation) {
        return classes == null ? scoreText(items) : scoreClasses(items, classes, aggregation);
    }

    private CompletableFuture<TargetScores> scoreText(List<ScoreItem> items) {
        List<LogProbabilityRequest> requests = items.stream()
                .map(item -> new LogProbabilityRequest(item.context(), item.target(), burnIn))
                .toList();
        return logProbabilities.answers(requests, model::logProbability).thenApply(results -> {
            double[] logProbs = new double[items.size()];
            for (int i = 0; i < items.size(); i++) logProbs[i] = results.get(i).meanLogProb();
            return new TargetScores(logProbs, null);
        });
    }

    private CompletableFuture<TargetScores> scoreClasses(List<ScoreItem> items, OutputClasses classes,
                                                         VerbalizerAggregation aggregation) {
        int[] classIndex = new int[items.size()];
        for (int i = 0; i < items.size(); i++) {
            String target = items.get(i).target();
            classIndex[i] = classes.indexOf(target);
            if (classIndex[i] < 0) {
                throw new IllegalArgumentException("target '" + target + "' is none of the output classes " + classes.protos());
            }
        }
        return classDistributionsAsync(items.stream().map(ScoreItem::context).toList(), classes, aggregation)
                .thenApply(distributions -> {
                    double[] logProbs = new double[items.size()];
                    List<List<Double>> perItem = new ArrayList<>(items.size());
                    for (int i = 0; i < items.size(); i++) {
                        logProbs[i] = Math.log(distributions.get(i).probability(classIndex[i]));
                        perItem.add(distributions.get(i).probabilities());
                    }
                    return new TargetScores(logProbs, perItem);
                });
    }

    /** The class distribution after each context, in order. */
    public List<ClassDistribution> classDistributions(List<String> contexts, OutputClasses classes,
                                                      VerbalizerAggregation aggregation) {
        return classDistributionsAsync(contexts, classes, aggregation).join();
    }

    public CompletableFuture<List<ClassDistribution>> classDistributionsAsync(List<String> contexts, OutputClasses classes,
                                                                             VerbalizerAggregation aggregation) {
        List<ClassDistributionRequest> requests = contexts.stream()
                .map(context -> new ClassDistributionRequest(context, classes, aggregation))
                .toList();
        return distributions.answers(requests, model::classDistribution);
    }
}
