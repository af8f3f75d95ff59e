package io.dln.studio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dln.tasks.TaskExample;
import io.dln.tasks.TaskFamily;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/** What the tests prepare through the gateway's public API, as a script would: keys, data sets and runs. */
final class GatewayApi {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String baseUrl;
    private final String key;

    GatewayApi(String baseUrl, String key) {
        this.baseUrl = baseUrl;
        this.key = key;
    }

    GatewayApi as(String otherKey) {
        return new GatewayApi(baseUrl, otherKey);
    }

    /** A new key of {@code role} in {@code tenant}; the operator's key may create them in any tenant. */
    String createKey(String name, String role, String tenant) {
        ObjectNode body = JSON.createObjectNode().put("name", name).put("role", role).put("tenant", tenant);
        return call("POST", "/api/admin/keys", "application/json", body.toString(), 201).get("key").asText();
    }

    /** The task's examples as JSON lines, the first {@code train} for training, the next {@code dev} for validation. */
    static String jsonLines(List<TaskExample> examples, int train, int dev) {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < examples.size(); i++) {
            ObjectNode row = JSON.createObjectNode().put("input", examples.get(i).input()).put("target", examples.get(i).target())
                    .put("split", i < train ? "train" : i < train + dev ? "dev" : "test");
            lines.append(row).append('\n');
        }
        return lines.toString();
    }

    JsonNode uploadDataset(String name, TaskFamily task, String jsonLines) {
        StringBuilder query = new StringBuilder("?format=jsonl&name=").append(enc(name))
                .append("&instruction=").append(enc(task.initialInstruction()));
        for (String c : task.outputClasses()) query.append("&classes=").append(enc(c));
        return call("POST", "/api/datasets" + query, "application/x-ndjson", jsonLines, 201);
    }

    /** Queues a small DLN run; {@code settings} adjusts its settings document. */
    JsonNode startRun(String datasetId, String modelName, int layers, long seed, Consumer<ObjectNode> settings) {
        ObjectNode run = JSON.createObjectNode().put("datasetId", datasetId).put("modelName", modelName).put("layers", layers)
                .put("backend", StudioSystem.BACKEND).put("seed", seed);
        settings.accept(run.putObject("settings"));
        return call("POST", "/api/runs", "application/json", run.toString(), 201);
    }

    JsonNode run(String id) {
        return call("GET", "/api/runs/" + id, null, null, 200);
    }

    /** Polls the run until its status is one of {@code statuses}; fails with the run as it is after {@code timeout}. */
    JsonNode awaitStatus(String id, Duration timeout, String... statuses) {
        Instant deadline = Instant.now().plus(timeout);
        Set<String> wanted = Set.of(statuses);
        while (true) {
            JsonNode run = run(id);
            String status = run.path("status").asText();
            if (wanted.contains(status)) return run;
            if (Instant.now().isAfter(deadline) || Set.of("SUCCEEDED", "FAILED", "CANCELLED").contains(status)) {
                throw new AssertionError("run " + id + " is " + status + ", not " + wanted + ": " + run);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    JsonNode call(String method, String path, String contentType, String body, int expected) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Authorization", "Bearer " + key).timeout(Duration.ofSeconds(60));
        if (contentType != null) request.header("Content-Type", contentType);
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expected) {
                throw new AssertionError(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
            }
            return response.body().isBlank() ? JSON.nullNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
