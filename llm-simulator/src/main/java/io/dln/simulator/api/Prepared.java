package io.dln.simulator.api;

/**
 * A response body computed and waiting to be sent, with what the latency model needs: how many
 * sequences it ran and the longest prompt and completion among them, in tokens.
 */
public record Prepared(Object body, int sequences, int longestPrompt, int longestCompletion) {
}
