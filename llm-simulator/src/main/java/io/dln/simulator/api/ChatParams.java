package io.dln.simulator.api;

import java.util.List;

/** A validated /v1/chat/completions request, its messages joined into one text for the simulated model. */
public record ChatParams(String model, String conversation, int messages, int n, double temperature, int maxTokens,
                         List<String> stop, Long seed, boolean logprobs, int topLogprobs) {
}
