package io.dln.core.score;

/** A target to score after a context: the context is a rendered template, the target follows it directly. */
public record ScoreItem(String context, String target) {
}
