package io.dln.core.lm;

import java.util.List;
import java.util.Objects;

/**
 * One prompt to complete. The seed makes sampling at a positive temperature reproducible on
 * backends that honour it; at temperature 0 the answer does not depend on it.
 */
public record GenerationRequest(String prompt, int n, double temperature, int maxTokens, List<String> stop, long seed) {

    public GenerationRequest {
        Objects.requireNonNull(prompt, "prompt");
        if (n < 1) throw new IllegalArgumentException("n must be at least 1, was " + n);
        if (temperature < 0) throw new IllegalArgumentException("temperature must not be negative, was " + temperature);
        if (maxTokens < 1) throw new IllegalArgumentException("maxTokens must be at least 1, was " + maxTokens);
        stop = stop == null ? List.of() : List.copyOf(stop);
    }

    public static GenerationRequest greedy(String prompt, int maxTokens, List<String> stop) {
        return new GenerationRequest(prompt, 1, 0.0, maxTokens, stop, 0L);
    }
}
