package io.dln.simulator.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(LatencyCapacityTest.Slow.class)
class LatencyCapacityTest {

    public static class Slow implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("simulator.latency.ttft", "200ms",
                    "simulator.capacity.max-concurrent", "2",
                    "simulator.capacity.max-queue", "3");
        }
    }

    @TestHTTPResource("/v1/completions")
    URI completions;

    @Test
    void requestsBeyondCapacityQueueAndBeyondTheQueueAreRefused() {
        HttpClient client = HttpClient.newHttpClient();
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < 6; i++) {
            HttpRequest request = HttpRequest.newBuilder(completions).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"call " + i + "\",\"max_tokens\":1}")).build();
            calls.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
        }
        int ok = 0, refused = 0;
        for (var call : calls) {
            HttpResponse<String> r = call.join();
            if (r.statusCode() == 200) ok++;
            if (r.statusCode() == 503) {
                refused++;
                assertTrue(r.headers().firstValue("Retry-After").isPresent());
            }
        }
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals(5, ok);
        assertEquals(1, refused);
        // two slots, five accepted requests of 200 ms each: three waves
        assertTrue(elapsedMs >= 580, "elapsed " + elapsedMs + " ms");
    }
}
