package io.dln.core.model;

/** A prompt pair kept in memory for the dev accuracy it reached. */
public record RememberedPrompts(String p1, String p2, double devAccuracy) {
}
