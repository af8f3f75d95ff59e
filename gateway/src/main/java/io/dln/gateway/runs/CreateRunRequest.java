package io.dln.gateway.runs;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.UUID;

/**
 * A run to queue. {@code settings} is a DlnSettings document: every field is optional and takes its default.
 * {@code backend} names one backend for all three roles; the role-specific names win over it.
 */
public record CreateRunRequest(
        @NotNull UUID datasetId,
        @NotBlank @Pattern(regexp = ModelNames.PATTERN, message = ModelNames.RULE) @Schema(examples = "sum-parity") String modelName,
        @Min(1) @Max(2) @Schema(description = "1 (DLN-1) or 2 (DLN-2); the same as settings.layers") Integer layers,
        @Schema(description = "Hyper-parameters, every field optional", ref = "DlnSettings") JsonNode settings,
        @Schema(description = "Backend for forward, backward and scoring calls") String backend,
        String forwardBackend,
        String backwardBackend,
        String scoringBackend,
        @Min(0) @Max(MAX_SEED) @Schema(description = "Seed of the run, 0 to 2^53-1; a random one when absent") Long seed,
        @Positive @Max(MAX_TOKEN_BUDGET) @Schema(description = "Tokens the run may use before it stops, 1 to 10^12") Long tokenBudget,
        @Schema(description = "Pause after every iteration (once it is stored) for a person to look, guide and resume; default false")
        Boolean guided) {

    /** The largest integer a JSON number keeps exactly in every client (JavaScript's Number.MAX_SAFE_INTEGER). */
    public static final long MAX_SEED = 9_007_199_254_740_991L;
    public static final long MAX_TOKEN_BUDGET = 1_000_000_000_000L;
}
