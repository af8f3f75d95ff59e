package io.dln.core.model;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * What an update of one layer starts from besides fresh proposals: the layer's current prompt and the prompts
 * remembered for their dev accuracy. They are the source prompts of the proposals and candidates themselves,
 * the current one first so that it wins ties.
 */
record CandidateSources(String current, List<String> remembered) {

    List<String> prompts() {
        LinkedHashSet<String> prompts = new LinkedHashSet<>();
        prompts.add(current);
        prompts.addAll(remembered);
        return List.copyOf(prompts);
    }

    CandidateOrigin origin(String prompt) {
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
