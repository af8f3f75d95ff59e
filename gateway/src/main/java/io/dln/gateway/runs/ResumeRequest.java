package io.dln.gateway.runs;

import jakarta.validation.constraints.Positive;

/** Optional changes made when a run is resumed: a larger token budget after it ran out. */
public record ResumeRequest(@Positive Long tokenBudget) {
}
