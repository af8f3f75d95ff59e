package io.dln.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A typed {@code POST /v1/completions}: one attempt, choices returned in index order and counted. */
final class CompletionsClient {

    private final String backend;
    private final URI endpoint;
    private final HttpTransport transport;
    private final ObjectMapper json;

    CompletionsClient(BackendConfig config, HttpTransport transport, ObjectMapper json) {
        this.backend = config.name();
        this.endpoint = config.endpoint("completions");
        this.transport = transport;
        this.json = json;
    }

    /**
     * @param expectedChoices prompts × n; servers list choice {@code p * n + j} for sample j of prompt p
     */
    CompletionsApi.Response complete(CompletionsApi.Request request, int expectedChoices, LlmOperation operation) {
        String body;
        try {
            body = json.writeValueAsString(request);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a completions request", e);
        }
        HttpTransport.Response response = transport.postJson(endpoint, body, operation);
        CompletionsApi.Response parsed;
        try {
            parsed = json.readValue(response.body(), CompletionsApi.Response.class);
        } catch (JsonProcessingException e) {
            throw LlmBackendException.badResponse(backend, operation,
                    "the completions response is not the expected JSON: " + e.getOriginalMessage());
        }
        if (parsed.choices().size() != expectedChoices) {
            throw LlmBackendException.badResponse(backend, operation, "expected " + expectedChoices
                    + " choices in the completions response, got " + parsed.choices().size());
        }
        List<CompletionsApi.Choice> ordered = new ArrayList<>(parsed.choices());
        // Servers may list choices in any order; index says where each belongs. Missing indices keep their place.
        if (ordered.stream().allMatch(c -> c.index() != null)) {
            ordered.sort(Comparator.comparingInt(CompletionsApi.Choice::index));
        }
        return new CompletionsApi.Response(ordered, parsed.usage());
    }
}
