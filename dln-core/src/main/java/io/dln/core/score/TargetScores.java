package io.dln.core.score;

import java.util.List;

/**
 * log p(target | context) for each scored item and, when scored over output classes, the class
 * distribution each context induces (used by the trust-region penalty).
 */
public record TargetScores(double[] logProbs, List<List<Double>> classDistributions) {

    public double get(int i) {
        return logProbs[i];
    }

    public int size() {
        return logProbs.length;
    }
}
