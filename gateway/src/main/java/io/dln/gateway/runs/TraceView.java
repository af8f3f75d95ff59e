package io.dln.gateway.runs;

import io.dln.core.model.Candidate;
import io.dln.core.model.NetworkPrompts;
import io.dln.core.train.StepTrace;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What the step of one iteration saw and did: the prompts before and after it, its metrics, the batch's examples
 * (input, target, the forward pass's hidden text and answer, the posterior samples h~ with their weights), every
 * candidate of each layer with its score, the chosen one marked, and the guidance applied at its start.
 */
@Schema(description = "The step of one iteration, for the step explorer. Texts of examples are cut at "
        + StepTrace.MAX_TEXT + " characters (a cut text ends with '" + StepTrace.CUT_MARK + "'); at most "
        + StepTrace.MAX_EXAMPLES + " examples and " + StepTrace.MAX_SAMPLES + " posterior samples per example are kept.")
public record TraceView(
        UUID runId,
        int iteration,
        int layers,
        @Schema(description = "The prompts the step started from, after any guidance applied at its start") NetworkPrompts promptsBefore,
        @Schema(description = "The prompts the step chose") NetworkPrompts promptsAfter,
        @Schema(description = "The prompts after the previous iteration (for iteration 0, the initial prompts)") NetworkPrompts previousIterationPrompts,
        Double batchAccuracy,
        Double devAccuracy,
        Double elbo,
        Double elbo1,
        Double elbo2,
        long tokensUsed,
        @Schema(description = "Examples in the step's batch; 'examples' holds the first " + StepTrace.MAX_EXAMPLES) int batchSize,
        List<StepTrace.TracedExample> examples,
        @Schema(description = "Per layer ('p1' hidden, 'p2' output): every candidate with its score, whether it was chosen, "
                + "and its origin: current, proposal, memory, pinned or edited") Map<String, List<Candidate>> candidates,
        @Schema(description = "The guidance actions applied at the start of this step, oldest first") List<GuidanceView> guidance) {
}
