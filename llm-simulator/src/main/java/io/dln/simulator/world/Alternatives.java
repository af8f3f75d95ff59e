package io.dln.simulator.world;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Builds top-k lists: from a known next-token distribution, or generic ones where the model has none. */
final class Alternatives {

    // common tokens with fixed log-probabilities, used where the simulator models no real distribution
    private static final String[] COMMON = {" the", ",", ".", " and", "\n", " of", " to", " a", " is", " in",
            " that", " it", " for", " on", " with", " as", " was", " be", " by", " this", " at", " or"};
    private static final double FLOOR = Math.log(1e-6);

    private Alternatives() {
    }

    static List<Alternative> fromDistribution(Map<String, Double> next, String actual, double actualLp, int k) {
        List<Alternative> top = new ArrayList<>(k + 1);
        for (Map.Entry<String, Double> e : next.entrySet()) {
            if (top.size() == k) break;
            top.add(new Alternative(e.getKey(), Math.log(e.getValue())));
        }
        // like vLLM, the chosen token is always listed, even when it is not among the k best
        if (top.stream().noneMatch(a -> a.token().equals(actual))) top.add(new Alternative(actual, actualLp));
        for (int i = 0; top.size() < k && i < COMMON.length; i++) {
            String filler = COMMON[i];
            if (top.stream().noneMatch(a -> a.token().equals(filler))) top.add(new Alternative(filler, FLOOR - i));
        }
        return top;
    }

    static List<Alternative> generic(String actual, double actualLp, int k) {
        List<Alternative> top = new ArrayList<>(k);
        top.add(new Alternative(actual, actualLp));
        for (int i = 0; top.size() < k && i < COMMON.length; i++) {
            if (!COMMON[i].equals(actual)) top.add(new Alternative(COMMON[i], -1.8 - 0.45 * i));
        }
        top.sort(Comparator.comparingDouble(Alternative::logprob).reversed());
        return top;
    }
}
