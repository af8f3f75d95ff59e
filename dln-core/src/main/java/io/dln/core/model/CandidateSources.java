package io.dln.core.model;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * What an update of one layer starts from besides fresh proposals: the layer's current prompt, the prompts remembered
 * for their dev accuracy and those a person pinned or wrote. They are the source prompts of the proposals and
 * candidates themselves, the current one first so that it wins ties. Prompts the person rejected are never chosen:
 * they leave the sources and the candidates, except the current prompt, which stays first (the trust region measures
 * drift from it) and is kept only when nothing else is left.
 */
record CandidateSources(String current, List<String> remembered, LayerGuidance guidance) {

    CandidateSources(String current, List<String> remembered) {
        this(current, remembered, LayerGuidance.NONE);
    }

    List<String> prompts() {
        LinkedHashSet<String> prompts = new LinkedHashSet<>();
        prompts.add(current);
        prompts.addAll(remembered);
        prompts.addAll(guidance.keptPrompts());
        return allowed(List.copyOf(prompts));
    }

    /** The candidates without the rejected prompts (the current one stays, see above). */
    List<String> allowed(List<String> candidates) {
        if (guidance.rejected().isEmpty()) return candidates;
        return candidates.stream().filter(c -> c.equals(current) || !guidance.rejected().contains(c)).toList();
    }

    /** The best-scoring candidate that was not rejected; the first (the current prompt) when every one was. */
    int choose(List<String> candidates, double[] scores) {
        int best = -1;
        for (int k = 0; k < scores.length; k++) {
            if (guidance.rejected().contains(candidates.get(k))) continue;
            if (best < 0 || scores[k] > scores[best]) best = k;
        }
        return Math.max(best, 0);
    }

    String feedback() {
        return guidance.feedback();
    }

    CandidateOrigin origin(String prompt) {
        CandidateOrigin guided = guidance.originOf(prompt);
        if (guided != null) return guided;
        if (prompt.equals(current)) return CandidateOrigin.CURRENT;
        if (remembered.contains(prompt)) return CandidateOrigin.MEMORY;
        return CandidateOrigin.PROPOSAL;
    }

    /** Every candidate with its score, where it came from, and the chosen one marked. */
    List<Candidate> describe(List<String> candidates, double[] scores, int chosen) {
        List<Candidate> list = new ArrayList<>(candidates.size());
        for (int k = 0; k < candidates.size(); k++) {
            list.add(new Candidate(candidates.get(k), scores[k], k == chosen, origin(candidates.get(k))));
        }
        return list;
    }
}
