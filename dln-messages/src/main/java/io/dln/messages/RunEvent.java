package io.dln.messages;

import java.util.Map;

/**
 * Progress of a run as the trainer publishes it, keyed by run id: STARTED, ITERATION (with its dev
 * accuracy, ELBO, batch accuracy and tokens), EVALUATING, FINISHED, FAILED, CANCELLED, PAUSED (between two
 * iterations; {@code iteration} is the next one). The gateway publishes RESUMED, GUIDANCE (details: the recorded
 * action), and the end of runs no trainer holds (CANCELLED, PAUSED). Readers ignore types they do not know.
 */
public record RunEvent(String runId, String type, int iteration, int iterations, Double devAccuracy, Double elbo,
                       Double batchAccuracy, long tokensUsed, String message, Map<String, Object> details,
                       long timestampEpochMillis) {
}
