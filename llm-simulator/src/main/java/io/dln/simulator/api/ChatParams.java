package io.dln.simulator.api;

import java.util.List;

/**
 * A validated /v1/chat/completions request, its messages joined into one text for the simulated model; {@code stream}
 * when the answer goes out as server-sent chunks, {@code streamUsage} when a last chunk carries the usage.
 */
public record ChatParams(String model, String conversation, int messages, int n, double temperature, int maxTokens,
                         List<String> stop, Long seed, boolean logprobs, int topLogprobs,
                         boolean stream, boolean streamUsage) {
}
