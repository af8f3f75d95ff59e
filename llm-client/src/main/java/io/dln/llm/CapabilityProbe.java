package io.dln.llm;

import io.dln.core.lm.Capabilities;
import io.dln.core.lm.LogProbabilityRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Asks the server for one tiny echo and one tiny top-k answer. A refusal (an HTTP error, or an answer
 * without the log-probabilities asked for) marks the capability missing with the server's reason; an
 * unreachable server makes the probe itself fail, since nothing can be concluded.
 */
final class CapabilityProbe {

    private final BackendConfig config;
    private final CompletionsOperations completions;
    private final ChatBackend chat;

    CapabilityProbe(BackendConfig config, CompletionsOperations completions, ChatBackend chat) {
        this.config = config;
        this.completions = completions;
        this.chat = chat;
    }

    CapabilityReport run(int topK) {
        String echoReason = config.kind().hasCompletions() ? probeEcho() : CapabilityReport.NO_COMPLETIONS;
        List<String> refusals = new ArrayList<>();
        int maxTopK = probeTopK(topK, refusals);
        String topReason = maxTopK > 0 ? null : String.join("; ", refusals);
        var found = new Capabilities(true, echoReason == null, maxTopK > 0, maxTopK);
        return new CapabilityReport(found, true, echoReason, topReason);
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

    /** Tries k, then smaller k that common servers accept (OpenAI's completions allow 5); returns the k that worked, or 0. */
    private int probeTopK(int topK, List<String> refusals) {
        var candidates = new TreeSet<Integer>((a, b) -> b - a);
        candidates.add(topK);
        if (topK > 5) candidates.add(5);
        candidates.add(1);
        for (int k : candidates) {
            try {
                FirstTokenTopK answer = config.generationApi() == GenerationApi.CHAT
                        ? chat.firstTokenTopK("The sky is", k, LlmOperation.PROBE)
                        : completions.firstTokenTopK(List.of("The sky is"), k, LlmOperation.PROBE).getFirst();
                if (!answer.logprobs().isEmpty()) return k;
                refusals.add("the server answered top-k " + k + " with no alternatives");
            } catch (LlmBackendException e) {
                switch (e.failure()) {
                    case HTTP_STATUS -> refusals.add("the server refused top_logprobs " + k + " (HTTP " + e.status() + ": " + e.serverMessage() + ")");
                    case BAD_RESPONSE -> refusals.add("the server's top-k answer is unusable (" + e.serverMessage() + ")");
                    case TIMEOUT, CONNECTION -> throw e;
                }
            }
        }
        return 0;
    }
}
