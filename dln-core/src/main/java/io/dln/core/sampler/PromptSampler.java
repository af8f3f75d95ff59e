package io.dln.core.sampler;

import io.dln.core.lm.GenerationRequest;
import io.dln.core.lm.LanguageModel;
import io.dln.core.random.Rng;
import io.dln.core.template.Template;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Proposes new prompts: the backward LLM reads a source prompt with examples of what it did and a
 * rewrite message, and writes a new prompt. Proposal i starts from source prompt i (cycling over the
 * current prompt and the remembered best ones) and uses rewrite message i (cycling); each proposal
 * sees the examples in its own random order, only half of them under held-out ranking.
 */
public final class PromptSampler {

    private final Template template;
    private final LanguageModel model;
    private final double temperature;
    private final int maxTokens;

    public PromptSampler(Template template, LanguageModel model, double temperature, int maxTokens) {
        this.template = template;
        this.model = model;
        this.temperature = temperature;
        this.maxTokens = maxTokens;
    }

    /**
     * The candidates: the source prompts first (so the current prompt wins ties), then
     * {@code samples - 1} proposals, duplicates removed.
     */
    public List<String> candidates(List<BackwardExample> examples, List<String> sourcePrompts, int samples,
                                   boolean heldOutHalf, Rng rng) {
        return candidatesAsync(examples, sourcePrompts, samples, heldOutHalf, rng).join();
    }

    public CompletableFuture<List<String>> candidatesAsync(List<BackwardExample> examples, List<String> sourcePrompts,
                                                           int samples, boolean heldOutHalf, Rng rng) {
        return candidatesAsync(examples, sourcePrompts, samples, heldOutHalf, null, rng);
    }

    /**
     * Draws from {@code rng} and sends the requests now; completes when the proposals are in. {@code feedback}, a
     * person's advice on this layer (null when none), is shown to the backward LLM in every proposal.
     */
    public CompletableFuture<List<String>> candidatesAsync(List<BackwardExample> examples, List<String> sourcePrompts,
                                                           int samples, boolean heldOutHalf, String feedback, Rng rng) {
        List<GenerationRequest> requests = new ArrayList<>();
        for (int i = 0; i < samples - 1; i++) {
            List<BackwardExample> shown = rng.shuffled(examples);
            if (heldOutHalf) shown = shown.subList(0, Math.max(1, shown.size() / 2));
            String prompt = template.render(variables(sourcePrompts.get(i % sourcePrompts.size()), template.message(i), shown, feedback));
            requests.add(new GenerationRequest(prompt, 1, temperature, maxTokens, template.stop(), rng.nextSeed()));
        }
        if (requests.isEmpty()) return CompletableFuture.completedFuture(List.copyOf(new LinkedHashSet<>(sourcePrompts)));
        return model.generate(requests).thenApply(generations -> {
            LinkedHashSet<String> candidates = new LinkedHashSet<>(sourcePrompts);
            generations.forEach(g -> candidates.add(g.first().strip()));
            return List.copyOf(candidates);
        });
    }

    private static Map<String, Object> variables(String prompt, String message, List<BackwardExample> shown, String feedback) {
        List<Map<String, Object>> all = shown.stream().map(BackwardExample::asVariables).toList();
        List<Map<String, Object>> right = shown.stream().filter(e -> e.loss() == 0).map(BackwardExample::asVariables).toList();
        List<Map<String, Object>> wrong = shown.stream().filter(e -> e.loss() > 0).map(BackwardExample::asVariables).toList();
        return Map.of("prompt", prompt, "message", message, "examples", all, "right", right, "wrong", wrong,
                "feedback", feedback == null ? "" : feedback);
    }
}
