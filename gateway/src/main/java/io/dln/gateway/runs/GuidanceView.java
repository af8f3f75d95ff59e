package io.dln.gateway.runs;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.OffsetDateTime;
import java.util.UUID;

/** A recorded guidance action: who did what to which layer, when, and the iteration it was applied at. */
public record GuidanceView(
        UUID id,
        UUID runId,
        @Schema(enumeration = {"pin", "edit", "reject", "feedback"}) String action,
        @Schema(description = "1: the hidden layer (DLN-2), 2: the output layer") int layer,
        @Schema(description = "The prompt pinned, written or rejected; null for feedback") String prompt,
        @Schema(description = "The feedback text; null for the other actions") String text,
        @Schema(description = "The caller's key name (or OIDC subject)") String author,
        OffsetDateTime createdAt,
        @Schema(description = "The iteration whose step it was applied at; null until applied") Integer appliedAtIteration) {
}
