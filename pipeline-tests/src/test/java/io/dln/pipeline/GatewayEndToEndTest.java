package io.dln.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dln.tasks.TaskExample;
import io.dln.tasks.TaskFamily;
import io.dln.tasks.TaskWorld;
import io.dln.testkit.ServiceProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a platform team does, end to end through the gateway: upload a data set, start a DLN-2 run on
 * the simulator, follow its progress over server-sent events to the end, promote the trained DLN to
 * 'prod', and ask it through both the predict API and the OpenAI-compatible API.
 */
@ExtendWith(PipelineExtension.class)
class GatewayEndToEndTest {

    private static final ObjectMapper JSON = GatewayCalls.JSON;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static ServiceProcess gateway;

    @BeforeAll
    static void start(Pipeline pipeline) {
        gateway = Pipeline.startTogether(List.<Supplier<ServiceProcess>>of(pipeline::sharedTrainer, pipeline::startGateway)).get(1);
    }

    @AfterAll
    static void stop() {
        gateway.stop();
    }

    @Test
    void uploadTrainFollowPromoteAndServe() throws Exception {
        TaskFamily task = TaskWorld.standard().byName("basket-totals").orElseThrow();
        List<TaskExample> examples = task.generate(77, 70);
        StringBuilder jsonl = new StringBuilder();
        for (int i = 0; i < examples.size(); i++) {
            ObjectNode row = JSON.createObjectNode().put("input", examples.get(i).input()).put("target", examples.get(i).target())
                    .put("split", i < 30 ? "train" : i < 50 ? "dev" : "test");
            jsonl.append(JSON.writeValueAsString(row)).append('\n');
        }
        String name = "baskets-" + UUID.randomUUID().toString().substring(0, 8);
        String query = "?name=" + enc(name) + "&format=jsonl&instruction=" + enc(task.initialInstruction())
                + task.outputClasses().stream().map(c -> "&classes=" + enc(c)).reduce("", String::concat);
        JsonNode dataset = call("POST", "/api/datasets" + query, "application/x-ndjson", jsonl.toString(), 201);
        assertEquals(30, dataset.path("counts").path("train").asInt(dataset.path("trainCount").asInt()), dataset.toString());

        ObjectNode run = JSON.createObjectNode().put("datasetId", dataset.get("id").asText()).put("modelName", name)
                .put("layers", 2).put("backend", Pipeline.BACKEND).put("seed", 7);
        run.putObject("settings").put("iterations", 2).put("batchSize", 6).put("pSamples", 3).put("hSamples", 2).put("validateEvery", 1);
        JsonNode created = call("POST", "/api/runs", "application/json", JSON.writeValueAsString(run), 201);
        String runId = created.get("id").asText();

        List<JsonNode> events = followEvents(runId, Duration.ofMinutes(3));
        List<String> types = events.stream().map(GatewayEndToEndTest::type).toList();
        assertTrue(types.contains("ITERATION"), "progress events: " + types);
        for (JsonNode event : events) {
            if (!type(event).equals("ITERATION")) continue;
            assertTrue(event.path("details").path("trainingMillis").asLong(-1) > 0
                    && event.path("details").path("checkpointMillis").asLong(-1) >= 0, "each step says where its time went: " + event);
        }
        assertEquals("FINISHED", types.getLast(), "the stream ends with the run: " + types);
        JsonNode finished = call("GET", "/api/runs/" + runId, null, null, 200);
        assertEquals("SUCCEEDED", finished.get("status").asText(), finished.toString());
        JsonNode history = call("GET", "/api/runs/" + runId + "/iterations", null, null, 200);
        assertFalse(history.isEmpty(), "the history is there");
        assertTrue(history.get(0).get("hasTrace").asBoolean(), "the first step's trace is kept: " + history.get(0));
        JsonNode trace = call("GET", "/api/runs/" + runId + "/iterations/0/trace", null, null, 200);
        assertEquals(history.get(0).get("p2").asText(), trace.get("promptsAfter").get("p2").asText());
        assertEquals(6, trace.get("examples").size(), "the batch's examples: " + trace);
        JsonNode example = trace.get("examples").get(0);
        assertFalse(example.get("hidden").asText().isBlank(), "DLN-2 shows the forward pass's hidden text: " + example);
        if (trace.get("batchAccuracy").asDouble() < 1.0) { // a step whose batch was all right stops after its forward pass
            assertEquals(2, example.get("posteriorSamples").size(), "h-samples 2: " + example);
            double weights = 0;
            for (JsonNode sample : example.get("posteriorSamples")) weights += sample.get("weight").asDouble();
            assertEquals(1.0, weights, 1e-9, "posterior weights sum to one: " + example);
        }
        int chosen = 0;
        for (JsonNode candidate : trace.get("candidates").get("p2")) if (candidate.get("chosen").asBoolean()) chosen++;
        assertEquals(trace.get("candidates").get("p2").isEmpty() ? 0 : 1, chosen, "one output candidate chosen: " + trace.get("candidates"));

        // a run of 2 iterations counts 2 everywhere: the run, its history, and the events (the last ITERATION event
        // is the iteration of index 1 of 2; the FINISHED event says 2 done)
        assertEquals(2, finished.get("iteration").asInt(), finished.toString());
        assertEquals(2, finished.get("iterations").asInt(), finished.toString());
        assertEquals(2, history.size(), "one history row per iteration: " + history);
        for (JsonNode event : events) {
            assertTrue(event.path("iteration").asInt() <= 2 && event.path("iterations").asInt() == 2, "never past 2 of 2: " + event);
        }
        List<Integer> indexes = events.stream().filter(e -> type(e).equals("ITERATION")).map(e -> e.path("iteration").asInt()).toList();
        assertEquals(1, indexes.getLast(), "the last ITERATION event is that of the second iteration: " + indexes);
        assertEquals(2, events.getLast().path("iteration").asInt(), "finished after 2 iterations: " + events.getLast());

        JsonNode versions = call("GET", "/api/models/" + enc(name) + "/versions", null, null, 200);
        int version = versions.get(0).get("version").asInt();
        call("PUT", "/api/models/" + enc(name) + "/aliases/prod", "application/json", "{\"version\":" + version + "}", 200);

        String question = examples.get(69).input();
        JsonNode predicted = call("POST", "/api/models/" + enc(name) + "/predict", "application/json",
                JSON.writeValueAsString(JSON.createObjectNode().put("alias", "prod").put("returnHidden", true)
                        .set("inputs", JSON.createArrayNode().add(question))), 200);
        String answer = predicted.get("outputs").get(0).asText();
        assertTrue(task.prototypes().contains(answer), "an output class: " + predicted);
        assertFalse(predicted.get("hidden").get(0).asText().isBlank(), "DLN-2 shows its hidden analysis: " + predicted);

        ObjectNode chat = JSON.createObjectNode().put("model", "dln/" + name + ":prod");
        chat.putArray("messages").addObject().put("role", "user").put("content", question);
        JsonNode completion = call("POST", "/v1/chat/completions", "application/json", JSON.writeValueAsString(chat), 200);
        assertEquals(answer, completion.get("choices").get(0).get("message").get("content").asText(), completion.toString());
    }

    private static List<JsonNode> followEvents(String runId, Duration timeout) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/api/runs/" + runId + "/events"))
                .header("Authorization", "Bearer " + Pipeline.ADMIN_KEY).header("Accept", "text/event-stream")
                .timeout(timeout).GET().build();
        HttpResponse<InputStream> response = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        List<JsonNode> events = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.startsWith("data:")) continue;
                JsonNode event = JSON.readTree(line.substring(5).strip());
                events.add(event);
                if (List.of("FINISHED", "FAILED", "CANCELLED", "SUCCEEDED").contains(type(event))) break;
            }
        }
        return events;
    }

    private static String type(JsonNode event) {
        return event.path("type").asText(event.path("status").asText());
    }

    private static JsonNode call(String method, String path, String contentType, String body, int expected) {
        return GatewayCalls.call(gateway, method, path, contentType, body, expected);
    }

    private static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
