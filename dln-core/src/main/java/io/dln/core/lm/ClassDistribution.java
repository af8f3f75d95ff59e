package io.dln.core.lm;

import java.util.List;

/** Probabilities of each output class (summing to 1), in the order of the classes asked for. */
public record ClassDistribution(List<Double> probabilities, TokenUsage usage) {

    public ClassDistribution {
        probabilities = List.copyOf(probabilities);
        usage = usage == null ? TokenUsage.NONE : usage;
    }

    public double probability(int classIndex) {
        return probabilities.get(classIndex);
    }

    public int argmax() {
        int best = 0;
        for (int i = 1; i < probabilities.size(); i++) {
            if (probabilities.get(i) > probabilities.get(best)) best = i;
        }
        return best;
    }
}
