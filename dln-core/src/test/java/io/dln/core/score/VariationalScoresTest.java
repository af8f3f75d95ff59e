package io.dln.core.score;

import io.dln.core.lm.ClassRenormalization;
import io.dln.core.lm.OutputClasses;
import io.dln.core.lm.VerbalizerAggregation;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class VariationalScoresTest {

    private static final double EPS = 1e-9;

    @Test
    void elboWithoutWeightsIsTheMeanOverExamplesAndSamples() {
        // two examples, one sample, two candidates
        double[][][] scores = {{{-1.0, -3.0}}, {{-2.0, -0.5}}};
        // candidate 0: (-1 + -2) / 2 = -1.5; candidate 1: (-3 + -0.5) / 2 = -1.75
        assertArrayEquals(new double[]{-1.5, -1.75}, VariationalScores.elbo(scores, null), EPS);
    }

    @Test
    void elboWeighsEachHiddenSampleByItsPosteriorWeight() {
        // one example, two samples, two candidates
        double[][][] scores = {{{-1.0, -4.0}, {-3.0, -2.0}}};
        double[][] weights = {{0.25, 0.75}};
        // candidate 0: 0.25 * -1 + 0.75 * -3 = -2.5; candidate 1: 0.25 * -4 + 0.75 * -2 = -2.5
        assertArrayEquals(new double[]{-2.5, -2.5}, VariationalScores.elbo(scores, weights), EPS);
        double[][] skewed = {{0.9, 0.1}};
        // candidate 0: -0.9 - 0.3 = -1.2; candidate 1: -3.6 - 0.2 = -3.8
        assertArrayEquals(new double[]{-1.2, -3.8}, VariationalScores.elbo(scores, skewed), EPS);
    }

    @Test
    void posteriorWeightsAreASoftmaxOfTheLogLikelihoodsAtTheTemperature() {
        double[][] logits = {{Math.log(1), Math.log(3)}};
        // softmax(log 1, log 3) = (1/4, 3/4)
        assertArrayEquals(new double[]{0.25, 0.75}, VariationalScores.posteriorWeights(logits, 1.0)[0], EPS);
        // at temperature 2: exp(log 3 / 2) = sqrt(3); weights (1, sqrt 3) / (1 + sqrt 3)
        double s3 = Math.sqrt(3);
        assertArrayEquals(new double[]{1 / (1 + s3), s3 / (1 + s3)}, VariationalScores.posteriorWeights(logits, 2.0)[0], EPS);
    }

    @Test
    void posteriorWeightsWithThePriorTermAddTheHiddenLogProbabilities() {
        // log p(y | h) = (log 0.5, log 0.5): alone the samples tie
        double[] likelihood = {Math.log(0.5), Math.log(0.5)};
        assertArrayEquals(new double[]{0.5, 0.5}, VariationalScores.posteriorWeights(new double[][]{likelihood}, 1.0)[0], EPS);
        // the prior log p(h | x) = (log 0.2, log 0.6) breaks the tie: weights proportional to 0.1 and 0.3
        double[] withPrior = {likelihood[0] + Math.log(0.2), likelihood[1] + Math.log(0.6)};
        assertArrayEquals(new double[]{0.25, 0.75}, VariationalScores.posteriorWeights(new double[][]{withPrior}, 1.0)[0], EPS);
    }

    @Test
    void posteriorWeightsStayFiniteForVeryNegativeLogits() {
        double[][] weights = VariationalScores.posteriorWeights(new double[][]{{-2000, -2001}}, 1.0);
        assertEquals(1 / (1 + Math.exp(-1)), weights[0][0], EPS);
    }

    @Test
    void klIsMeasuredFromTheCurrentPromptsDistributionToEachCandidates() {
        // one example; candidate 0 is the current prompt: (0.5, 0.5); candidate 1: (0.25, 0.75)
        double[][][] distributions = {{{0.5, 0.5}, {0.25, 0.75}}};
        double expected = 0.5 * Math.log(0.5 / 0.25) + 0.5 * Math.log(0.5 / 0.75);
        assertArrayEquals(new double[]{0.0, expected}, VariationalScores.klFromFirst(distributions), EPS);
        // averaged over examples: a second example where both agree adds zero
        double[][][] two = {{{0.5, 0.5}, {0.25, 0.75}}, {{0.9, 0.1}, {0.9, 0.1}}};
        assertArrayEquals(new double[]{0.0, expected / 2}, VariationalScores.klFromFirst(two), EPS);
    }

    @Test
    void classRenormalisationAddsVerbalizerMassOverAFloor() {
        OutputClasses classes = OutputClasses.of("yes|Yes", "no|No");
        // top-k: " Yes" 0.6, " No" 0.2, "maybe" 0.1 -> floor = 0.1 (the smallest shown)
        Map<String, Double> top = Map.of(" Yes", Math.log(0.6), " No", Math.log(0.2), "maybe", Math.log(0.1));
        // MAX: yes = 0.1 + max(0.1 ["yes"], 0.1 [" yes"], 0.1 ["Yes"], 0.6 [" Yes"]) = 0.7; no = 0.1 + 0.2 = 0.3
        List<Double> max = ClassRenormalization.fromTopLogprobs(top, classes, VerbalizerAggregation.MAX);
        assertEquals(0.7, max.get(0), EPS);
        assertEquals(0.3, max.get(1), EPS);
        // SUM: yes = 0.1 + (0.1 + 0.1 + 0.1 + 0.6) = 1.0; no = 0.1 + (0.1 + 0.1 + 0.1 + 0.2) = 0.6
        List<Double> sum = ClassRenormalization.fromTopLogprobs(top, classes, VerbalizerAggregation.SUM);
        assertEquals(1.0 / 1.6, sum.get(0), EPS);
        assertEquals(0.6 / 1.6, sum.get(1), EPS);
    }

    @Test
    void classRenormalisationWithNoVerbalizerShownSplitsEvenly() {
        OutputClasses classes = OutputClasses.of("a|A", "b|B", "c|C");
        List<Double> p = ClassRenormalization.fromTopLogprobs(Map.of("the", Math.log(0.9)), classes, VerbalizerAggregation.MAX);
        for (double v : p) assertEquals(1 / 3.0, v, EPS);
        List<Double> empty = ClassRenormalization.fromTopLogprobs(Map.of(), classes, VerbalizerAggregation.MAX);
        assertEquals(1 / 3.0, empty.get(2), EPS);
    }
}
