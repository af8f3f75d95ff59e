package io.dln.gateway.runs;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.dln.core.model.DlnSettings;
import io.dln.store.RunStatus;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A run as the API shows it. {@code status} is QUEUED, RUNNING, PAUSED (between two iterations, until resumed),
 * SUCCEEDED, FAILED or CANCELLED. {@code settings} only appears when one run is shown; {@code modelVersion} once its
 * trained DLN is registered.
 */
public record RunView(UUID id, RunStatus status, UUID datasetId, String modelName, int layers, int iteration,
                      int iterations, Double devAccuracy, Double bestDevAccuracy, Double testAccuracy, Prompts bestPrompts,
                      @Schema(description = "Tokens the run's calls need, answers from the scorer's cache included; what the"
                              + " token budget counts, the same for a run whether the cache was warm or cold") long tokensUsed,
                      @Schema(description = "Tokens sent to backends; null for runs from before it was recorded") Long tokensSent,
                      @Schema(description = "Tokens the scorer's cache saved: tokensUsed - tokensSent") Long tokensSavedByCache,
                      Long tokenBudget, long seed, Backends backends, String error,
                      boolean cancelRequested,
                      @Schema(description = "Pauses after every iteration for a person to look and guide") boolean guided,
                      @Schema(description = "Will pause after the iteration under way") boolean pauseRequested,
                      OffsetDateTime createdAt, OffsetDateTime startedAt,
                      OffsetDateTime finishedAt, Double elapsedSeconds, Integer modelVersion,
                      @JsonInclude(JsonInclude.Include.NON_NULL) DlnSettings settings) {

    @Schema(name = "RunPrompts")
    public record Prompts(String p1, String p2) {
    }

    public record Backends(String forward, String backward, String scoring) {
    }
}
