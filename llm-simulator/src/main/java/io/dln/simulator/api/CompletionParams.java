package io.dln.simulator.api;

import java.util.List;

/** A validated /v1/completions request. {@code logprobs} is null when none were asked for. */
public record CompletionParams(String model, List<String> prompts, int n, double temperature, int maxTokens,
                               List<String> stop, Long seed, Integer logprobs, boolean echo) {
}
