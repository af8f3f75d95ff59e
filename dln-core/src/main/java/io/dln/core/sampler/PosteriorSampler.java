package io.dln.core.sampler;

import io.dln.core.lm.GenerationRequest;
import io.dln.core.lm.LanguageModel;
import io.dln.core.random.Rng;
import io.dln.core.template.Template;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Samples hidden texts h~ from the proposal q(h | x, y, h, prompt_1, prompt_2): for each example,
 * {@code samples} generations from a posterior template picked at random among those configured
 * (some may show the correct answer y, some not).
 */
public final class PosteriorSampler {

    private final List<Template> templates;
    private final LanguageModel model;
    private final double temperature;
    private final int maxTokens;

    public PosteriorSampler(List<Template> templates, LanguageModel model, double temperature, int maxTokens) {
        if (templates.isEmpty()) throw new IllegalArgumentException("at least one posterior template is needed");
        this.templates = List.copyOf(templates);
        this.model = model;
        this.temperature = temperature;
        this.maxTokens = maxTokens;
    }

    /**
     * The samples h~ indexed [example][sample], and the proposal prompt each was drawn from (what the
     * proposal's own probability of a sample, log q(h~), is scored after).
     */
    public record Samples(List<List<String>> texts, List<List<String>> prompts) {
    }

    /** h~ indexed [example][sample]. */
    public List<List<String>> sample(List<String> inputs, List<String> targets, List<String> hiddens,
                                     String prompt, String nextPrompt, int samples, Rng rng) {
        return sampleAsync(inputs, targets, hiddens, prompt, nextPrompt, samples, rng).join().texts();
    }

    /**
     * Draws from {@code rng} and sends the requests now; completes when the samples are in. A sample keeps its
     * paragraphs, their blank lines made single line breaks (as the reference strips them); only a stop of the
     * template's own or the token limit ends it.
     */
    public CompletableFuture<Samples> sampleAsync(List<String> inputs, List<String> targets, List<String> hiddens,
                                                  String prompt, String nextPrompt, int samples, Rng rng) {
        List<GenerationRequest> requests = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            for (int s = 0; s < samples; s++) {
                Template template = templates.get(rng.nextInt(templates.size()));
                Map<String, Object> variables = new HashMap<>();
                variables.put("input", inputs.get(i));
                variables.put("y", targets.get(i));
                variables.put("h", hiddens.get(i));
                variables.put("prompt", prompt);
                variables.put("next_prompt", nextPrompt);
                variables.put("message", template.message(s));
                requests.add(new GenerationRequest(template.render(variables), 1, temperature, maxTokens,
                        template.stop(), rng.nextSeed()));
            }
        }
        return model.generate(requests).thenApply(generations -> {
            List<String> texts = generations.stream().map(g -> g.first().replace("\n\n", "\n").strip()).toList();
            List<String> prompts = requests.stream().map(GenerationRequest::prompt).toList();
            List<List<String>> perExample = new ArrayList<>(inputs.size());
            List<List<String>> promptsPerExample = new ArrayList<>(inputs.size());
            for (int i = 0; i < inputs.size(); i++) {
                perExample.add(texts.subList(i * samples, (i + 1) * samples));
                promptsPerExample.add(prompts.subList(i * samples, (i + 1) * samples));
            }
            return new Samples(perExample, promptsPerExample);
        });
    }
}
