package io.dln.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dln.testkit.ServiceProcess;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Calls to a running gateway with the pipeline's admin key; each checks the status it expects and returns the JSON answer. */
final class GatewayCalls {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private GatewayCalls() {
    }

    static JsonNode call(ServiceProcess gateway, String method, String path, String contentType, String body, int expected) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
                .header("Authorization", "Bearer " + Pipeline.ADMIN_KEY).timeout(Duration.ofSeconds(60));
        if (contentType != null) builder.header("Content-Type", contentType);
        builder.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            HttpResponse<String> response = HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(expected, response.statusCode(), method + " " + path + " answered " + response.body());
            return response.body().isBlank() ? JSON.nullNode() : JSON.readTree(response.body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode get(ServiceProcess gateway, String path) {
        return call(gateway, "GET", path, null, null, 200);
    }

    static JsonNode post(ServiceProcess gateway, String path, Object body, int expected) {
        try {
            return call(gateway, "POST", path, "application/json", body == null ? null : JSON.writeValueAsString(body), expected);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
