package io.dln.simulator.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dln.core.lm.GenerationRequest;
import io.dln.llm.BackendConfig;
import io.dln.llm.GenerationApi;
import io.dln.llm.OpenAiCompatibleModel;
import io.dln.llm.TokenStream;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code stream: true} with a per-token latency: tokens go out one by one, so the first chunk reaches the client while
 * the simulator is still generating (it counts a request in its metrics only once the stream is written).
 */
@QuarkusTest
@TestProfile(StreamingTest.Paced.class)
class StreamingTest {

    public static class Paced implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("simulator.latency.ttft", "20ms", "simulator.latency.per-token", "15ms");
        }
    }

    private static final String PROMPT = "Tell me about the weather on Mars.";

    @TestHTTPResource("/")
    URI root;

    @Test
    void chatChunksArriveWhileTheAnswerIsStillBeingGenerated() throws Exception {
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":" + Api.quote(PROMPT) + "}],\"temperature\":0,"
                + "\"stream\":true,\"stream_options\":{\"include_usage\":true}}";
        double before = served("chat");
        HttpResponse<java.util.stream.Stream<String>> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(root.resolve("/v1/chat/completions")).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        List<JsonNode> chunks = new ArrayList<>();
        Double servedAtFirstContent = null;
        boolean done = false;
        for (Iterator<String> lines = response.body().iterator(); lines.hasNext(); ) {
            String line = lines.next();
            if (!line.startsWith("data: ")) continue;
            if (line.equals("data: [DONE]")) {
                done = true;
                continue;
            }
            JsonNode chunk = Api.JSON.readTree(line.substring(6));
            chunks.add(chunk);
            if (servedAtFirstContent == null && chunk.path("choices").path(0).path("delta").path("content").asText("").length() > 0) {
                servedAtFirstContent = served("chat");
            }
        }
        assertTrue(done, "the stream ends with data: [DONE]");
        assertEquals(before, servedAtFirstContent, "the first token came before the simulator finished the request");
        assertEquals(before + 1, served("chat"), "and the request counts once the stream is written");

        StringBuilder text = new StringBuilder();
        int contentChunks = 0;
        for (JsonNode c : chunks) {
            assertEquals("chat.completion.chunk", c.path("object").asText());
            String piece = c.path("choices").path(0).path("delta").path("content").asText("");
            if (!piece.isEmpty()) contentChunks++;
            text.append(piece);
        }
        assertEquals("assistant", chunks.getFirst().path("choices").path(0).path("delta").path("role").asText());
        assertEquals("stop", chunks.get(chunks.size() - 2).path("choices").path(0).path("finish_reason").asText());
        JsonNode usage = chunks.getLast().path("usage");
        assertTrue(chunks.getLast().path("choices").isEmpty() && usage.path("completion_tokens").asInt() == contentChunks,
                "a last chunk with the usage, one completion token per content chunk: " + chunks.getLast());
        assertTrue(contentChunks > 5, "token by token: " + contentChunks);

        String whole = Api.tree(Api.post("/v1/chat/completions", body.replace("\"stream\":true,\"stream_options\":{\"include_usage\":true}",
                "\"stream\":false"))).path("choices").path(0).path("message").path("content").asText();
        assertEquals(whole, text.toString(), "the streamed text is the text of the answer in one piece");
    }

    @Test
    void theClientReadsBothApisPieceByPiece() {
        for (GenerationApi api : GenerationApi.values()) {
            BackendConfig config = BackendConfig.of("simulator", root.resolve("/v1").toString(), "dln-simulator").withGenerationApi(api);
            try (OpenAiCompatibleModel model = OpenAiCompatibleModel.create(config)) {
                GenerationRequest request = GenerationRequest.greedy(PROMPT, 64, List.of("\n\n"));
                String whole = model.generate(List.of(request)).join().getFirst().first();
                List<String> pieces = new ArrayList<>();
                try (TokenStream stream = model.stream(request)) {
                    for (String piece = stream.next(); piece != null; piece = stream.next()) pieces.add(piece);
                    assertNull(stream.next(), "done stays done");
                    assertEquals("stop", stream.finishReason());
                    assertEquals(pieces.size(), stream.usage().completionTokens(), api + ": the server's usage");
                }
                assertTrue(pieces.size() > 5, api + ": " + pieces);
                assertEquals(whole, String.join("", pieces), api.name());
            }
        }
    }

    @Test
    void aStreamCutShortEndsWithoutDoneAndAnInjectedErrorIsAnHttpStatus() throws Exception {
        BackendConfig config = BackendConfig.of("simulator", root.resolve("/v1").toString(), "dln-simulator");
        String truncated = "{\"prompt\":" + Api.quote(PROMPT) + ",\"max_tokens\":64,\"stream\":true}";
        HttpResponse<java.util.stream.Stream<String>> cut = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(root.resolve("/v1/completions")).header("Content-Type", "application/json")
                        .header("X-Simulator-Fault", "truncated").POST(HttpRequest.BodyPublishers.ofString(truncated)).build(),
                HttpResponse.BodyHandlers.ofLines());
        List<String> received = new ArrayList<>();
        try {
            cut.body().forEach(received::add);
        } catch (java.io.UncheckedIOException expected) {
            // the connection was reset half-way, as a crashing server would
        }
        assertTrue(received.stream().anyMatch(l -> l.startsWith("data: {")), "some chunks came: " + received);
        assertTrue(received.stream().noneMatch(l -> l.equals("data: [DONE]")), "but no [DONE]: " + received);
        var refused = given().contentType("application/json").header("X-Simulator-Fault", "429").body(truncated)
                .post("/v1/completions");
        assertEquals(429, refused.statusCode(), "a fault before the stream starts is a plain error status");

        var bad = Api.post("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":true,\"logprobs\":true}");
        assertEquals(400, bad.statusCode());
        assertEquals("logprobs", Api.tree(bad).path("error").path("param").asText());
        var options = Api.post("/v1/completions", "{\"prompt\":\"hi\",\"stream_options\":{\"include_usage\":true}}");
        assertEquals("stream_options", Api.tree(options).path("error").path("param").asText());
        assertThrows(IllegalArgumentException.class, () -> OpenAiCompatibleModel.create(config)
                .stream(new GenerationRequest(PROMPT, 2, 1.0, 8, List.of(), 1)));
    }

    private double served(String endpoint) {
        String metrics = given().get("/q/metrics").asString();
        Matcher m = Pattern.compile("simulator_requests_total\\{endpoint=\"" + endpoint + "\",outcome=\"ok\"} ([0-9.E]+)").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
