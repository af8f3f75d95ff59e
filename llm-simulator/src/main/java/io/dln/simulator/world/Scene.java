package io.dln.simulator.world;

import java.util.ArrayList;
import java.util.List;

/**
 * What the simulator makes of a prompt: where the continuation starts and which continuations it
 * believes in. Scoring a continuation walks the candidates; once the text leaves them every further
 * token gets a low, generic log-probability.
 */
public interface Scene {

    double OFF_TRACK_FIRST = Math.log(1e-4);
    double OFF_TRACK_REST = -2.5;

    /** A short name of the kind of call, for metrics and debugging. */
    String kind();

    /** Character offset in the prompt where the model's continuation begins. */
    int boundary();

    Candidates candidates();

    /**
     * Log-probabilities (and top-k alternatives when {@code topK} > 0) of a continuation, given as
     * text and as tokens, when it is scored after the prompt (echo).
     */
    default List<Scored> score(String continuation, List<String> tokens, int topK) {
        return walk(candidates(), tokens, topK);
    }

    /** Scores tokens along the candidates' prefix tree; once they leave it, generic low log-probabilities. */
    static List<Scored> walk(Candidates candidates, List<String> tokens, int topK) {
        List<Scored> scored = new ArrayList<>(tokens.size());
        Candidates.Walk walk = candidates.walk();
        boolean off = false;
        for (String token : tokens) {
            var next = topK > 0 && !walk.offTrack() ? walk.next() : null;
            double lp = walk.step(token);
            if (Double.isNaN(lp)) {
                lp = off ? OFF_TRACK_REST : OFF_TRACK_FIRST;
                off = true;
                scored.add(new Scored(lp, topK > 0 ? Alternatives.generic(token, lp, topK) : null));
            } else {
                scored.add(new Scored(lp, next == null ? null : Alternatives.fromDistribution(next, token, lp, topK)));
            }
        }
        return scored;
    }

    record Scored(double logprob, List<Alternative> top) {
    }
}
