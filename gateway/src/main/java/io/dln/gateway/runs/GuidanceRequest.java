package io.dln.gateway.runs;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One guidance action for a run (checked by {@link GuidanceService}): pin, edit or reject a {@code prompt} of a
 * {@code layer}, or give feedback {@code text} to the backward pass of that layer.
 */
@Schema(description = "A guidance action: {\"action\": \"pin\"|\"edit\"|\"reject\", \"layer\": 1|2, \"prompt\": \"...\"} or "
        + "{\"action\": \"feedback\", \"layer\": 1|2, \"text\": \"...\"} (an empty text clears the layer's feedback)")
public record GuidanceRequest(
        @Schema(enumeration = {"pin", "edit", "reject", "feedback"}, required = true) String action,
        @Schema(description = "1: the hidden layer (DLN-2 only), 2: the output layer", required = true) Integer layer,
        @Schema(description = "For pin, edit and reject: the prompt, at most " + GuidanceService.MAX_PROMPT + " characters") String prompt,
        @Schema(description = "For feedback: what the backward LLM of the layer is told, at most " + GuidanceService.MAX_FEEDBACK
                + " characters; empty clears it") String text) {
}
