package io.dln.simulator.world;

import java.util.List;

/**
 * A token of a prompt or of a completion with its log-probability and its top alternatives
 * (both null for the first token of a prompt, which nothing precedes).
 */
public record ScoredToken(String token, int offset, Double logprob, List<Alternative> top) {
}
