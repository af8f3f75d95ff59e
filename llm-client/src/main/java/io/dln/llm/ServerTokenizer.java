package io.dln.llm;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dln.core.lm.TokenUsage;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The server's own token ids of a text, from its tokenizer endpoint ({@code POST /tokenize} beside
 * {@code /v1}, as vLLM and the LLM simulator serve it: {@code {"model", "prompt"}} answered with
 * {@code {"tokens": [ids]}}), so a logit bias can name tokens without a tokenizer shipped here. Answers are
 * kept per text: a run asks about the same few class verbalizers again and again.
 */
final class ServerTokenizer {

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Answer(List<Integer> tokens) {
    }

    private static final int MAX_REMEMBERED = 4096;

    private final String backend;
    private final String model;
    private final URI endpoint;
    private final HttpTransport transport;
    private final CallGuard guard;
    private final ObjectMapper json;
    private final Map<String, List<Integer>> known = new ConcurrentHashMap<>();

    ServerTokenizer(BackendConfig config, HttpTransport transport, CallGuard guard, ObjectMapper json) {
        this.backend = config.name();
        this.model = config.model();
        this.endpoint = URI.create(config.baseUrl().replaceFirst("/v1$", "") + "/tokenize");
        this.transport = transport;
        this.guard = guard;
        this.json = json;
    }

    /** The token ids of {@code text}; a refusal or an answer without ids is an {@link LlmBackendException}. */
    List<Integer> ids(String text, LlmOperation operation) {
        List<Integer> ids = known.get(text);
        if (ids != null) return ids;
        ids = guard.call(operation, Batches.estimateTokens(text), () -> ask(text, operation), a -> TokenUsage.NONE);
        if (known.size() < MAX_REMEMBERED) known.put(text, ids);
        return ids;
    }

    /** logit_bias for the first token of each text, as OpenAI's API takes it: token id (as a string) to bias. */
    Map<String, Integer> firstTokenBias(List<String> texts, int bias, LlmOperation operation) {
        Map<String, Integer> logitBias = new LinkedHashMap<>();
        for (String text : texts) {
            List<Integer> ids = ids(text, operation);
            if (!ids.isEmpty()) logitBias.put(String.valueOf(ids.getFirst()), bias);
        }
        return logitBias;
    }

    private List<Integer> ask(String text, LlmOperation operation) {
        String body;
        try {
            body = json.writeValueAsString(Map.of("model", model, "prompt", text));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a tokenize request", e);
        }
        HttpTransport.Response response = transport.postJson(endpoint, body, operation);
        try {
            Answer answer = json.readValue(response.body(), Answer.class);
            if (answer.tokens() == null) {
                throw LlmBackendException.badResponse(backend, operation, "the tokenize answer has no 'tokens'");
            }
            return List.copyOf(answer.tokens());
        } catch (JsonProcessingException e) {
            throw LlmBackendException.badResponse(backend, operation, "the tokenize answer is not the expected JSON: " + e.getOriginalMessage());
        }
    }
}
