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

    /** Prompts one sequential call writes, numbered 1. to 3. */
    static final int SEQUENCE = 3;

    private final Template template;
    private final LanguageModel model;
    private final double temperature;
    private final int maxTokens;
    private final boolean sequential;

    public PromptSampler(Template template, LanguageModel model, double temperature, int maxTokens) {
        this(template, model, temperature, maxTokens, false);
    }

    /**
     * {@code sequential}: each call writes {@value #SEQUENCE} numbered prompts, each improving on the one before
     * (the reference's sequential sampler), from the current prompt only; (samples - 1) / 3 calls, at least one.
     */
    public PromptSampler(Template template, LanguageModel model, double temperature, int maxTokens, boolean sequential) {
        this.template = template;
        this.model = model;
        this.temperature = temperature;
        this.maxTokens = maxTokens;
        this.sequential = sequential;
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
        int calls = samples <= 1 ? 0 : sequential ? Math.max(1, (samples - 1) / SEQUENCE) : samples - 1;
        for (int i = 0; i < calls; i++) {
            List<BackwardExample> shown = rng.shuffled(examples);
            if (heldOutHalf) shown = shown.subList(0, Math.max(1, shown.size() / 2));
            String source = sequential ? sourcePrompts.getFirst() : sourcePrompts.get(i % sourcePrompts.size());
            String prompt = template.render(variables(source, template.message(i), shown, feedback));
            requests.add(new GenerationRequest(prompt, 1, temperature, maxTokens, template.stop(), rng.nextSeed()));
        }
        if (requests.isEmpty()) return CompletableFuture.completedFuture(List.copyOf(new LinkedHashSet<>(sourcePrompts)));
        return model.generate(requests).thenApply(generations -> {
            LinkedHashSet<String> candidates = new LinkedHashSet<>(sourcePrompts);
            for (var g : generations) {
                if (sequential) {
                    numbered(g.first()).forEach(candidates::add);
                } else {
                    candidates.add(g.first().strip());
                }
            }
            return List.copyOf(candidates);
        });
    }

    /** The prompts of a numbered list ("1. ...", "2. ..."): one a line, numbers removed, blank ones dropped. */
    static List<String> numbered(String text) {
        List<String> prompts = new ArrayList<>();
        for (String line : text.split("\n")) {
            String prompt = line.strip().replaceFirst("^\\d+[.)]\\s*", "").strip();
            if (!prompt.isEmpty() && !prompts.contains(prompt)) prompts.add(prompt);
        }
        return prompts;
    }

    private static Map<String, Object> variables(String prompt, String message, List<BackwardExample> shown, String feedback) {
        List<Map<String, Object>> all = shown.stream().map(BackwardExample::asVariables).toList();
        List<Map<String, Object>> right = shown.stream().filter(e -> e.loss() == 0).map(BackwardExample::asVariables).toList();
        List<Map<String, Object>> wrong = shown.stream().filter(e -> e.loss() > 0).map(BackwardExample::asVariables).toList();
        return Map.of("prompt", prompt, "message", message, "examples", all, "right", right, "wrong", wrong,
                "feedback", feedback == null ? "" : feedback);
    }
}
