package io.dln.simulator.api;

import java.util.List;
import java.util.Map;

/**
 * A validated /v1/completions request. {@code logprobs} is null when none were asked for; {@code logitBias} maps
 * token ids (as /tokenize gives them) to a bias in [-100, 100]; {@code stream} and {@code streamUsage} as in {@link ChatParams}.
 */
public record CompletionParams(String model, List<String> prompts, int n, double temperature, int maxTokens,
                               List<String> stop, Long seed, Integer logprobs, boolean echo, Map<Integer, Double> logitBias,
                               boolean stream, boolean streamUsage) {
}
