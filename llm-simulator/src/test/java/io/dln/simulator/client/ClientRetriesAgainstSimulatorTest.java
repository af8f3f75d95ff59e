package io.dln.simulator.client;

import io.dln.core.lm.GenerationRequest;
import io.dln.llm.BackendConfig;
import io.dln.llm.CallCounters;
import io.dln.llm.LlmBackendException;
import io.dln.llm.LlmCallListener;
import io.dln.llm.LlmOperation;
import io.dln.llm.OpenAiCompatibleModel;
import io.dln.llm.RetryPolicy;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The client's retries against the simulator injecting 429s with Retry-After, 500s and hangs. */
@QuarkusTest
@TestProfile(FaultyServerProfile.class)
class ClientRetriesAgainstSimulatorTest {

    @TestHTTPResource("/v1")
    URI api;

    @Test
    void everyCallSucceedsThroughRetriesThatHonourRetryAfterAndTimeouts() {
        List<Duration> delays = Collections.synchronizedList(new ArrayList<>());
        List<Integer> statuses = Collections.synchronizedList(new ArrayList<>());
        LlmCallListener recorder = new LlmCallListener() {
            @Override
            public void onRetry(String backend, LlmOperation operation, int attempt, Duration delay, LlmBackendException cause) {
                delays.add(delay);
                statuses.add(cause.status());
            }
        };
        BackendConfig config = BackendConfig.of("simulator", api.toString(), "dln-simulator")
                .withMaxRetries(12).withTimeout(Duration.ofSeconds(1)).withMaxPromptsPerCall(1);
        try (OpenAiCompatibleModel client = OpenAiCompatibleModel.builder(config).listener(recorder).retryPolicy(RetryPolicy.quick()).build()) {
            List<GenerationRequest> requests = new ArrayList<>();
            for (int i = 0; i < 12; i++) requests.add(GenerationRequest.greedy("Tell me about call " + i + ".", 4, List.of()));

            assertEquals(12, client.generate(requests).join().size());

            CallCounters.Counts counts = client.counters().get(LlmOperation.GENERATE);
            assertTrue(counts.retries() > 0, "the injected faults were retried");
            assertEquals(0, counts.failures());
            assertTrue(statuses.contains(429) || statuses.contains(500), "statuses seen: " + statuses);
            for (int i = 0; i < statuses.size(); i++) {
                if (statuses.get(i) == 429) assertTrue(delays.get(i).toMillis() >= 1000, "Retry-After 1 s honoured: " + delays.get(i));
            }
            assertTrue(statuses.contains(0), "a hang ends in a client timeout (no HTTP status) and is retried: " + statuses);
        }
    }

    @Test
    void withoutRetriesTheServersOwnErrorSurfaces() {
        BackendConfig config = BackendConfig.of("simulator", api.toString(), "dln-simulator")
                .withMaxRetries(0).withTimeout(Duration.ofSeconds(1)).withMaxPromptsPerCall(1);
        try (OpenAiCompatibleModel client = OpenAiCompatibleModel.builder(config).retryPolicy(RetryPolicy.quick()).build()) {
            List<GenerationRequest> requests = new ArrayList<>();
            for (int i = 0; i < 20; i++) requests.add(GenerationRequest.greedy("Another call " + i + ".", 4, List.of()));
            CompletionException failed = assertThrows(CompletionException.class, () -> client.generate(requests).join());
            LlmBackendException cause = (LlmBackendException) failed.getCause();
            assertTrue(cause.getMessage().startsWith("backend 'simulator'"), cause.getMessage());
        }
    }
}
