package io.dln.llm;

import io.dln.core.lm.Capabilities;
import io.dln.core.lm.LogProbabilityRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Asks the server for one tiny echo and one tiny top-k answer. A refusal (an HTTP error, or an answer
 * without the log-probabilities asked for) marks the capability missing with the server's reason; an
 * unreachable server makes the probe itself fail, since nothing can be concluded.
 */
final class CapabilityProbe {

    /** What the probe asks for first when nothing is declared: the reference asks its servers for 100. */
    static final int TOP_K_CEILING = 100;

    private final BackendConfig config;
    private final CompletionsOperations completions;
    private final ChatBackend chat;

    CapabilityProbe(BackendConfig config, CompletionsOperations completions, ChatBackend chat) {
        this.config = config;
        this.completions = completions;
        this.chat = chat;
    }

    /** @param topK the most top log-probabilities to ask for: the declared override, else {@link #TOP_K_CEILING} */
    CapabilityReport run(int topK) {
        String echoReason = config.kind().hasCompletions() ? probeEcho() : CapabilityReport.NO_COMPLETIONS;
        List<String> refusals = new ArrayList<>();
        int maxTopK = probeTopK(topK, refusals);
        String topReason = maxTopK > 0 ? null : String.join("; ", refusals);
        // a logit bias is what generation-only servers need for class answers; it takes the server's token ids
        String biasReason = config.kind().hasCompletions() && config.generationApi() != GenerationApi.CHAT
                ? completions.probeLogitBias("The sky is", " green") : "logit_bias is only sent through /v1/completions";
        var found = new Capabilities(true, echoReason == null, maxTopK > 0, maxTopK, biasReason == null);
        return new CapabilityReport(found, true, echoReason, topReason, biasReason);
    }

    /**
     * Whether the server answers a list of prompts in one completions call, each in its own choice (vLLM and OpenAI
     * do; some OpenAI-compatible servers take a single string only).
     *
     * @return null when it does, else why not
     */
    String probePromptList() {
        if (!config.kind().hasCompletions() || config.generationApi() == GenerationApi.CHAT) return "chat takes one prompt per call";
        var key = new CompletionsOperations.SamplingKey(1, 0.0, 1, List.of(), null, List.of());
        try {
            var answers = completions.generate(key, List.of(io.dln.core.lm.GenerationRequest.greedy("The sky is", 1, List.of()),
                    io.dln.core.lm.GenerationRequest.greedy("The grass is", 1, List.of())), LlmOperation.PROBE);
            return answers.size() == 2 ? null : "the server answered two prompts with " + answers.size() + " choices";
        } catch (IndexOutOfBoundsException e) {
            return "the server answered a list of two prompts with fewer than two choices";
        } catch (LlmBackendException e) {
            return switch (e.failure()) {
                // only a refusal says the list is the problem; an overloaded or failing server says nothing about it
                case HTTP_STATUS -> e.status() == 429 || e.status() >= 500 ? null
                        : "the server refused a list of prompts (HTTP " + e.status() + ": " + e.serverMessage() + ")";
                case BAD_RESPONSE -> "the server's answer to a list of prompts is unusable (" + e.serverMessage() + ")";
                case TIMEOUT, CONNECTION -> throw e;
            };
        }
    }

    /** @return null when echo works, else why not */
    private String probeEcho() {
        try {
            completions.logProbability(List.of(new LogProbabilityRequest("The sky is", " blue")), LlmOperation.PROBE);
            return null;
        } catch (LlmBackendException e) {
            return switch (e.failure()) {
                case HTTP_STATUS -> "the server refused echo with max_tokens 0 (HTTP " + e.status() + ": " + e.serverMessage() + ")";
                case BAD_RESPONSE -> "the server's echo answer is unusable (" + e.serverMessage() + ")";
                case TIMEOUT, CONNECTION -> throw e;
            };
        }
    }

    /**
     * The largest k the server accepts, up to {@code ceiling}: a refusal that names the server's limit (vLLM: "max
     * allowed: 20", OpenAI: "less than or equal to 20", the LLM simulator: "between 0 and 20") is taken at its word, otherwise the next smaller k of a ladder is tried.
     * Returns the k that worked, or 0.
     */
    private int probeTopK(int ceiling, List<String> refusals) {
        int k = ceiling;
        while (k >= 1) {
            try {
                FirstTokenTopK answer = config.generationApi() == GenerationApi.CHAT
                        ? chat.firstTokenTopK("The sky is", k, LlmOperation.PROBE)
                        : completions.firstTokenTopK(List.of("The sky is"), k, LlmOperation.PROBE).getFirst();
                if (!answer.logprobs().isEmpty()) return k;
                refusals.add("the server answered top-k " + k + " with no alternatives");
                k = nextSmaller(k, null);
            } catch (LlmBackendException e) {
                switch (e.failure()) {
                    case HTTP_STATUS -> {
                        refusals.add("the server refused top_logprobs " + k + " (HTTP " + e.status() + ": " + e.serverMessage() + ")");
                        k = nextSmaller(k, e.serverMessage());
                    }
                    case BAD_RESPONSE -> {
                        refusals.add("the server's top-k answer is unusable (" + e.serverMessage() + ")");
                        k = nextSmaller(k, null);
                    }
                    case TIMEOUT, CONNECTION -> throw e;
                }
            }
        }
        return 0;
    }

    private static final int[] LADDER = {100, 50, 20, 10, 5, 1};
    private static final Pattern LIMIT = Pattern.compile(
            "(?i)(?:max(?:imum)?(?: allowed)?|at most|less than or equal to|<=|between \\d+ and)\\D{0,20}?(\\d+)");

    /** The limit the refusal names when it is below k, else the next rung of the ladder below k (0 past the last). */
    static int nextSmaller(int k, String refusal) {
        if (refusal != null) {
            Matcher m = LIMIT.matcher(refusal);
            while (m.find()) {
                try {
                    int limit = Integer.parseInt(m.group(1));
                    if (limit >= 1 && limit < k) return limit;
                } catch (NumberFormatException ignored) {
                    // a number too long to be a limit
                }
            }
        }
        for (int rung : LADDER) {
            if (rung < k) return rung;
        }
        return 0;
    }
}
