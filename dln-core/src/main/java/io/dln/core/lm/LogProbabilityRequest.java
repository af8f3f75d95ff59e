package io.dln.core.lm;

import java.util.Objects;

/** Score {@code target} as the continuation of {@code context}; the text scored is exactly context + target. */
public record LogProbabilityRequest(String context, String target) {

    public LogProbabilityRequest {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(target, "target");
    }
}
