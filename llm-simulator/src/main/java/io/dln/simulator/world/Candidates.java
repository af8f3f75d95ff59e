package io.dln.simulator.world;

import io.dln.simulator.text.Tokenizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The simulated model's belief about a continuation: a small set of whole texts with their
 * probabilities. Token-level probabilities follow from it like from a prefix tree: the chance of the
 * next token is the mass of the texts that continue the current prefix with it, divided by the mass
 * of the prefix. Sampling picks a whole text; scoring walks its tokens; both use the same numbers,
 * so what the sampler does and what the log-probabilities say agree.
 */
public final class Candidates {

    /** The token standing for "the text ends here" in top-k lists. */
    public static final String END = "\n";

    public record Candidate(String text, double probability, List<String> tokens) {
    }

    private static final BoundedCache<String, List<String>> TOKENS = new BoundedCache<>(100_000);

    private final List<Candidate> candidates;

    private Candidates(List<Candidate> candidates) {
        this.candidates = candidates;
    }

    public List<Candidate> list() {
        return candidates;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private final Map<String, Double> weights = new LinkedHashMap<>();

        /** Adds weight to a text; the same text added twice adds up. Non-positive weights are ignored. */
        public Builder add(String text, double weight) {
            if (weight > 0 && Double.isFinite(weight)) weights.merge(text, weight, Double::sum);
            return this;
        }

        public boolean isEmpty() {
            return weights.isEmpty();
        }

        public Candidates build() {
            double total = weights.values().stream().mapToDouble(Double::doubleValue).sum();
            if (total <= 0) throw new IllegalStateException("no candidate continuation");
            List<Candidate> list = new ArrayList<>(weights.size());
            weights.forEach((text, w) -> list.add(new Candidate(text, w / total, TOKENS.get(text, Tokenizer::pieces))));
            // most likely first; equal ones keep the order they were added in
            list.sort(Comparator.comparingDouble(Candidate::probability).reversed());
            return new Candidates(List.copyOf(list));
        }
    }

    /**
     * The belief under a logit bias on first tokens: each text's weight times e^bias of its first token. Biases
     * as large as OpenAI allows leave only the favoured texts; null when no text starts with a biased token.
     */
    public Candidates biased(Map<String, Double> firstTokenBias) {
        Builder b = builder();
        boolean any = false;
        double top = firstTokenBias.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
        for (Candidate c : candidates) {
            Double bias = c.tokens().isEmpty() ? null : firstTokenBias.get(c.tokens().getFirst());
            any |= bias != null;
            // relative to the largest bias, so e^100 never overflows
            b.add(c.text(), c.probability() * Math.exp((bias == null ? 0 : bias) - top));
        }
        return any ? b.build() : null;
    }

    public Candidate argmax() {
        return candidates.getFirst();
    }

    public Candidate find(String text) {
        for (Candidate c : candidates) {
            if (c.text().equals(text)) return c;
        }
        return null;
    }

    /** A text drawn from the distribution sharpened or flattened by the temperature (0 gives the argmax). */
    public Candidate sample(double temperature, SplittableRandom random) {
        if (temperature <= 0 || candidates.size() == 1) return argmax();
        double[] w = new double[candidates.size()];
        double top = Math.log(candidates.getFirst().probability());
        double total = 0;
        for (int i = 0; i < w.length; i++) {
            w[i] = Math.exp((Math.log(candidates.get(i).probability()) - top) / temperature);
            total += w[i];
        }
        double u = random.nextDouble() * total;
        for (int i = 0; i < w.length; i++) {
            u -= w[i];
            if (u < 0) return candidates.get(i);
        }
        return candidates.getLast();
    }

    public Walk walk() {
        return new Walk();
    }

    /** A position in the prefix tree, moved one token at a time. */
    public final class Walk {
        private List<Candidate> alive = candidates;
        private double mass = 1.0;
        private int depth;

        public boolean offTrack() {
            return alive.isEmpty();
        }

        /** The next-token distribution, most likely first; {@link #END} carries the mass of texts that end here. */
        public Map<String, Double> next() {
            if (alive.size() == 1) return Map.of(tokenAt(alive.getFirst()), 1.0);
            Map<String, Double> next = new LinkedHashMap<>();
            for (Candidate c : alive) next.merge(tokenAt(c), c.probability() / mass, Double::sum);
            if (next.size() == 1) return next;
            List<Map.Entry<String, Double>> entries = new ArrayList<>(next.entrySet());
            entries.sort(Map.Entry.<String, Double>comparingByValue().reversed());
            Map<String, Double> sorted = new LinkedHashMap<>();
            entries.forEach(e -> sorted.put(e.getKey(), e.getValue()));
            return sorted;
        }

        private String tokenAt(Candidate c) {
            return depth < c.tokens().size() ? c.tokens().get(depth) : END;
        }

        /** Moves over {@code token}; returns its log-probability, or NaN when no candidate continues with it. */
        public double step(String token) {
            if (alive.isEmpty()) return Double.NaN;
            List<Candidate> kept = new ArrayList<>(alive.size());
            double keptMass = 0;
            for (Candidate c : alive) {
                if (depth < c.tokens().size() && c.tokens().get(depth).equals(token)) {
                    kept.add(c);
                    keptMass += c.probability();
                }
            }
            double lp = kept.isEmpty() ? Double.NaN : Math.log(keptMass / mass);
            alive = kept;
            mass = keptMass;
            depth++;
            return lp;
        }
    }
}
