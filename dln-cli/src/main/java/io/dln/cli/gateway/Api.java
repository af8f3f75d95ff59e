package io.dln.cli.gateway;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** The gateway's JSON shapes, as far as the CLI reads or sends them. Times stay ISO-8601 text. */
public final class Api {

    private Api() {
    }

    public record FieldProblem(String field, String message, Integer line) {
    }

    public record ErrorBody(Detail error) {
        public record Detail(String code, String message, List<FieldProblem> fields) {
        }
    }

    public record Page<T>(List<T> items, int page, int size, long total) {
    }

    public record Dataset(UUID id, String name, String instruction, List<String> outputClasses, String loss, Counts counts,
                          Map<String, Map<String, Long>> classCounts, Long runs, String createdAt) {
        public record Counts(int train, int dev, int test) {
        }
    }

    public record Prompts(String p1, String p2) {
    }

    public record Backends(String forward, String backward, String scoring) {
    }

    public record Run(UUID id, String status, UUID datasetId, String modelName, int layers, int iteration, int iterations,
                      Double devAccuracy, Double bestDevAccuracy, Double testAccuracy, Prompts bestPrompts, long tokensUsed,
                      Long tokensSent, Long tokensSavedByCache, Long tokenBudget, long seed, Backends backends, String error, boolean cancelRequested,
                      boolean guided, boolean pauseRequested, String createdAt, String startedAt, String finishedAt, Double elapsedSeconds, Integer modelVersion,
                      JsonNode settings) {

        private static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED", "CANCELLED");

        public boolean terminal() {
            return TERMINAL.contains(status);
        }
    }

    public record CreateRun(UUID datasetId, String modelName, Integer layers, JsonNode settings, String backend, Long seed,
                            Long tokenBudget, Boolean guided) {
    }

    public record ResumeRun(Long tokenBudget, Boolean guided) {
    }

    /** A trainer's progress event: STARTED, ITERATION (0-based iteration), EVALUATING, FINISHED, FAILED, CANCELLED. */
    public record RunEvent(String type, int iteration, int iterations, Double devAccuracy, Double batchAccuracy,
                           long tokensUsed, String message, Map<String, Object> details) {
    }

    public record Iteration(int iteration, String p1, String p2, Double devAccuracy, Double elbo, Double batchAccuracy,
                            long tokensUsed, String createdAt, boolean hasTrace) {
    }

    /** What the step of one iteration saw: GET /api/runs/{id}/iterations/{n}/trace. */
    public record Trace(UUID runId, int iteration, int layers, Prompts promptsBefore, Prompts promptsAfter,
                        Prompts previousIterationPrompts, Double batchAccuracy, Double devAccuracy, Double elbo, Double elbo1,
                        Double elbo2, long tokensUsed, int batchSize, List<TracedExample> examples,
                        Map<String, List<Candidate>> candidates, List<Guidance> guidance) {
    }

    public record TracedExample(int index, String input, String target, String hidden, String output, boolean correct,
                                List<HiddenSample> posteriorSamples) {
    }

    public record HiddenSample(String text, double weight, Double logLikelihood, Double logPrior) {
    }

    public record Candidate(String prompt, double score, boolean chosen, String origin) {
    }

    public record Guidance(UUID id, UUID runId, String action, int layer, String prompt, String text, String author,
                           String createdAt, Integer appliedAtIteration) {
    }

    public record ModelSummary(String name, int latestVersion, long versions, Map<String, Integer> aliases, String updatedAt) {
    }

    public record VersionSummary(int version, int layers, Map<String, Object> metrics, UUID sourceRunId, List<String> aliases,
                                 String createdAt) {
    }

    public record SetAlias(int version) {
    }

    public record Predict(Integer version, String alias, List<String> inputs, boolean returnHidden) {
    }

    public record Prediction(String model, int version, List<String> outputs, List<String> hidden, Usage usage) {
        public record Usage(long promptTokens, long completionTokens) {
        }
    }

    public record ChatRequest(String model, List<Message> messages) {
    }

    public record Message(String role, String content) {
    }

    public record ChatCompletion(String id, String model, List<Choice> choices) {
        public record Choice(int index, Message message) {
        }
    }

    public record CreateKey(String name, String role, String tenant) {
    }

    public record Key(UUID id, String name, String tenant, String role, String prefix, String createdAt, String revokedAt) {
    }

    public record CreatedKey(String key, Key details) {
    }
}
