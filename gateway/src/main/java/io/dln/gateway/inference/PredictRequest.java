package io.dln.gateway.inference;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** Inputs to run through a DLN version, chosen by number or alias (neither: 'prod', else the newest). */
public record PredictRequest(
        @Min(1) @Max(999_999_999) Integer version,
        @Size(max = 100) String alias,
        @Schema(examples = "[\"Is 3 + 4 even or odd?\"]") @NotEmpty List<@NotNull String> inputs,
        @Schema(description = "Also return the hidden layer's text (DLN-2)") boolean returnHidden,
        @Schema(description = "Also return each input's distribution over the output classes") boolean returnClassProbabilities) {
}
