package io.dln.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.dln.core.model.DlnSettings;
import io.dln.gateway.support.Api;
import io.dln.gateway.support.Fixtures;
import io.dln.gateway.support.GatewayTestResources;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code stream: true} streams the output layer: a DLN-2 on a simulator that writes its tokens 20 ms apart. The hidden
 * layer runs whole first; the answer's first chunk reaches the client while the backend is still generating the answer
 * (the simulator counts a request in its metrics only once it has written all of it). Also prints time to first chunk
 * against total time and writes them to target/benchmark/streaming-chat.json.
 */
@QuarkusTest
@WithTestResource(value = GatewayTestResources.class, scope = TestResourceScope.GLOBAL)
class StreamingChatTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    // no task the simulator knows: it answers with a generic reply of a few dozen tokens
    private static final String QUESTION = "Tell me about the weather on Mars.";

    private final String tenant = Api.tenant("stream");
    private final HttpClient http = HttpClient.newHttpClient();
    private String key;

    @BeforeEach
    void setUp() {
        key = Api.key(tenant, "inference");
        DlnSettings settings = DlnSettings.builder().layers(2).iterations(3).p2MaxTokens(64).build();
        Fixtures.model(tenant, "essay", 1, 2, null, "Think it through.", "Answer at length.", "sim-paced", settings);
    }

    /** What one streamed chat request gave: the events in order, and the backend's finished-request count at each. */
    private record Streamed(HttpResponse<Stream<String>> response, List<JsonNode> chunks, double servedAtFirstContent,
                            double servedAtEnd, boolean done, long firstContentNanos, long totalNanos) {
    }

    /** {@code watch}: read the backend's count of finished requests at the first piece of the answer and at the end. */
    private Streamed stream(String input, boolean watch) throws Exception {
        String body = JSON.writeValueAsString(Map.of("model", "dln/essay", "stream", true,
                "stream_options", Map.of("include_usage", true), "messages", List.of(Map.of("role", "user", "content", input))));
        long start = System.nanoTime();
        HttpResponse<Stream<String>> response = http.send(HttpRequest.newBuilder(URI.create(Api.baseUri() + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofLines());
        List<JsonNode> chunks = new ArrayList<>();
        boolean done = false;
        long first = 0;
        double servedAtFirst = -1;
        for (Iterator<String> lines = response.body().iterator(); lines.hasNext(); ) {
            String line = lines.next();
            if (!line.startsWith("data: ")) continue;
            if (line.equals("data: [DONE]")) {
                done = true;
                continue;
            }
            JsonNode chunk = JSON.readTree(line.substring(6));
            if (first == 0 && !content(chunk).isEmpty()) {
                first = System.nanoTime() - start;
                if (watch) servedAtFirst = served();
            }
            chunks.add(chunk);
        }
        long total = System.nanoTime() - start;
        return new Streamed(response, chunks, servedAtFirst, watch ? served() : -1, done, first, total);
    }

    @Test
    void theAnswersFirstChunkArrivesBeforeTheBackendHasFinishedIt() throws Exception {
        String expected = Api.json(key).body(Map.of("inputs", List.of(QUESTION))).post("/api/models/essay/predict").path("outputs[0]");
        Streamed s = stream(QUESTION, true);
        assertEquals(200, s.response().statusCode());
        assertTrue(s.response().headers().firstValue("x-request-id").isPresent(), "x-request-id on the stream too");
        assertTrue(s.done(), "ends with data: [DONE]");

        int contentChunks = 0;
        StringBuilder text = new StringBuilder();
        for (JsonNode chunk : s.chunks()) {
            String piece = content(chunk);
            if (piece.isEmpty()) continue;
            contentChunks++;
            text.append(piece);
        }
        assertEquals(expected, text.toString(), "the streamed answer is the answer of a forward pass");
        assertTrue(contentChunks > 5, "the answer came in pieces: " + contentChunks);
        assertEquals(s.servedAtEnd() - 1, s.servedAtFirstContent(),
                "when the first piece arrived the backend had served the hidden layer's call but not yet the answer's");
        JsonNode usage = s.chunks().getLast().path("usage");
        assertTrue(usage.path("prompt_tokens").asLong() > 0 && usage.path("completion_tokens").asLong() >= contentChunks,
                "usage of both layers: " + usage);
    }

    @Test
    void theOpenAiSdkReadsTheStreamPieceByPiece() {
        OpenAIClient client = OpenAIOkHttpClient.builder().apiKey(key).baseUrl(Api.baseUri() + "/v1").maxRetries(0).build();
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("dln/essay").addUserMessage(QUESTION).build();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
            List<String> pieces = stream.stream().flatMap(c -> c.choices().stream()).map(c -> c.delta().content().orElse(""))
                    .filter(p -> !p.isEmpty()).toList();
            assertTrue(pieces.size() > 5, "pieces: " + pieces);
        }
    }

    /** Time to first chunk against total time for a generated answer of a few dozen tokens; printed and written. */
    @Test
    void timeToFirstChunkAgainstTotal() throws Exception {
        int runs = 5;
        List<Double> firsts = new ArrayList<>(), totals = new ArrayList<>();
        int pieces = 0;
        for (int i = 0; i < runs; i++) {
            Streamed s = stream(QUESTION + " (" + i + ")", false);
            assertTrue(s.done());
            firsts.add(s.firstContentNanos() / 1e6);
            totals.add(s.totalNanos() / 1e6);
            pieces += (int) s.chunks().stream().filter(c -> !content(c).isEmpty()).count();
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("backend", "llm-simulator, ttft 0 ms, 20 ms per token; DLN-2 (hidden layer first, unstreamed)");
        report.put("runs", runs);
        report.put("meanAnswerChunks", pieces / (double) runs);
        report.put("timeToFirstChunkMs", firsts);
        report.put("totalMs", totals);
        report.put("medianTimeToFirstChunkMs", median(firsts));
        report.put("medianTotalMs", median(totals));
        Path out = Path.of("target", "benchmark", "streaming-chat.json");
        Files.createDirectories(out.getParent());
        JSON.writerWithDefaultPrettyPrinter().writeValue(out.toFile(), report);
        System.out.printf("streaming chat: time to first chunk %.0f ms, total %.0f ms (medians of %d, %.1f chunks per answer) -> %s%n",
                median(firsts), median(totals), runs, pieces / (double) runs, out);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static String content(JsonNode chunk) {
        return chunk.path("choices").path(0).path("delta").path("content").asText("");
    }

    /** Generation requests the paced simulator has finished (counted once the last token is written). */
    private static double served() {
        try {
            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(GatewayTestResources.pacedSimulatorUrl() + "/q/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            double total = 0;
            Matcher m = Pattern.compile("simulator_requests_total\\{endpoint=\"(completions|chat)\",outcome=\"ok\"} ([0-9.E]+)").matcher(metrics);
            while (m.find()) total += Double.parseDouble(m.group(2));
            return total;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
