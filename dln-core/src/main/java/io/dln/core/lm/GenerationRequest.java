package io.dln.core.lm;

import java.util.List;
import java.util.Objects;

/**
 * One prompt to complete. The seed makes sampling at a positive temperature reproducible on
 * backends that honour it; at temperature 0 the answer does not depend on it. {@code favoured} lists texts
 * whose first token the generation is pushed towards (OpenAI's {@code logit_bias} of 100 on it, as the
 * reference does with the class verbalizers when a server gives no top-k); empty for free generation, and
 * for a message written before the field existed.
 */
public record GenerationRequest(String prompt, int n, double temperature, int maxTokens, List<String> stop, long seed,
                                List<String> favoured) {

    /** The logit bias the reference puts on a favoured text's first token. */
    public static final int FAVOURED_BIAS = 100;

    public GenerationRequest {
        Objects.requireNonNull(prompt, "prompt");
        if (n < 1) throw new IllegalArgumentException("n must be at least 1, was " + n);
        if (temperature < 0) throw new IllegalArgumentException("temperature must not be negative, was " + temperature);
        if (maxTokens < 1) throw new IllegalArgumentException("maxTokens must be at least 1, was " + maxTokens);
        stop = stop == null ? List.of() : List.copyOf(stop);
        favoured = favoured == null ? List.of() : List.copyOf(favoured);
    }

    public GenerationRequest(String prompt, int n, double temperature, int maxTokens, List<String> stop, long seed) {
        this(prompt, n, temperature, maxTokens, stop, seed, List.of());
    }

    public static GenerationRequest greedy(String prompt, int maxTokens, List<String> stop) {
        return new GenerationRequest(prompt, 1, 0.0, maxTokens, stop, 0L);
    }
}
