package io.dln.simulator.world;

/** One entry of a top-k list: a token and its log-probability. */
public record Alternative(String token, double logprob) {
}
