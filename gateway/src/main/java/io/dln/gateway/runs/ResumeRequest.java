package io.dln.gateway.runs;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Positive;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Optional changes made when a run is resumed: a larger token budget after it ran out, entering or leaving guided mode. */
public record ResumeRequest(
        @Positive @Max(CreateRunRequest.MAX_TOKEN_BUDGET) @Schema(description = "A new token budget, 1 to 10^12") Long tokenBudget,
        @Schema(description = "true: pause after every iteration from now on; false: run on to the end; absent: unchanged") Boolean guided) {
}
