package io.dln.gateway.runs;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.dln.store.RunIterationEntity;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.OffsetDateTime;

/** One training iteration; the candidate prompts only when asked for. */
public record IterationView(int iteration, String p1, String p2, Double devAccuracy, Double elbo, Double elbo1,
                            Double elbo2, Double batchAccuracy, long tokensUsed, OffsetDateTime createdAt,
                            @Schema(description = "Whether GET .../iterations/{iteration}/trace shows what its step saw; "
                                    + "false for an iteration that only validated, or stored before traces were kept")
                            boolean hasTrace,
                            @JsonInclude(JsonInclude.Include.NON_NULL) RunIterationEntity.Candidates candidates) {

    static IterationView of(RunIterationEntity row, boolean hasTrace, boolean withCandidates) {
        return new IterationView(row.key.iteration(), row.p1, row.p2, row.devAccuracy, row.elbo, row.elbo1, row.elbo2,
                row.batchAccuracy, row.tokensUsed, row.createdAt, hasTrace, withCandidates ? row.candidates : null);
    }
}
