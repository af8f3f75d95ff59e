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
        @NotBlank @Pattern(regexp = ModelNames.PATTERN, message = ModelNames.RULE) String modelName,
        @Min(1) @Max(2) @Schema(description = "1 (DLN-1) or 2 (DLN-2); the same as settings.layers") Integer layers,
        @Schema(description = "DlnSettings: hyper-parameters, every field optional", implementation = Object.class) JsonNode settings,
        @Schema(description = "Backend for forward, backward and scoring calls") String backend,
        String forwardBackend,
        String backwardBackend,
        String scoringBackend,
        @Schema(description = "Seed of the run; a random one when absent") Long seed,
        @Positive @Schema(description = "Tokens the run may use before it stops") Long tokenBudget,
        @Schema(description = "Pause after every iteration (once it is stored) for a person to look, guide and resume; default false")
        Boolean guided) {
}
