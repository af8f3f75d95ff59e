package io.dln.sampler;

import io.dln.core.lm.GenerationRequest;
import io.dln.messages.LlmRequest;
import io.dln.messages.LlmResult;
import io.dln.messages.Topics;
import io.dln.testkit.KafkaTestClient.PartitionReader;
import io.dln.worker.testing.Metrics;
import io.dln.worker.testing.WorkerClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

import static io.dln.worker.testing.WorkerClient.inTwoMinutes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A worker's chat calls go through the model the LangChain4j Quarkus extension builds for the backend: the extension's
 * metrics listener times them ({@code gen_ai.client.operation.duration}), a listener bean hears them, and our own call
 * metrics (limits, retries, health) count them too. Against the simulator, over Kafka.
 */
@QuarkusTest
@WithTestResource(KafkaAndSimulator.class)
class ChatThroughExtensionTest {

    private static final int REPLY_PARTITION = 5;
    private static final String GEN_AI_DURATION = "gen_ai_client_operation_duration_seconds_count";

    @RegisterExtension
    final WorkerClient worker = new WorkerClient("sampler-chat-", Topics.GENERATE_REQUESTS, Topics.GENERATE_REQUESTS_DLQ,
            REPLY_PARTITION, LlmRequest::requestId);

    @Inject
    ChatCalls chatCalls;

    @Test
    void aWorkersChatCallGoesThroughTheExtensionsModel() {
        double timedBefore = Metrics.sum(GEN_AI_DURATION, "gen_ai_request_model=dln-simulator", "error_type=none");
        double oursBefore = Metrics.sum("dln_llm_calls_seconds_count", "backend=chat", "operation=generate", "outcome=ok");
        int heardBefore = chatCalls.answered().size();

        List<LlmRequest> requests = IntStream.range(0, 3)
                .mapToObj(i -> LlmRequest.generate("gen-" + UUID.randomUUID(), worker.runId(), 1, inTwoMinutes(), "chat",
                        REPLY_PARTITION, new GenerationRequest("Name a colour of the sea, number " + i + ":", 2, 0.7, 12,
                                List.of("\n"), 11L + i)))
                .toList();
        try (PartitionReader replies = worker.replies()) {
            requests.forEach(worker::publish);
            Map<String, ConsumerRecord<String, String>> records = worker.awaitResults(replies, requests);
            for (LlmRequest request : requests) {
                LlmResult result = worker.okResult(records, request);
                assertEquals(2, result.generation().texts().size());
                assertTrue(result.usage().completionTokens() > 0, () -> "usage " + result.usage());
            }
        }
        int calls = 3 * 2; // chat: one call per sample
        List<ChatCalls.Answered> heard = chatCalls.answered().subList(heardBefore, chatCalls.answered().size());
        assertTrue(heard.size() >= calls, () -> "the listener bean heard " + heard);
        assertTrue(heard.stream().allMatch(a -> "dln-simulator".equals(a.model()) && "OPEN_AI".equals(a.provider())), heard::toString);
        // each call ran under llm-client's attempt deadline (ForeignChatCalls' threads)
        assertTrue(heard.stream().allMatch(a -> a.thread().startsWith("llm-chat-")), heard::toString);
        Metrics.awaitAtLeast(GEN_AI_DURATION, timedBefore + calls, "gen_ai_request_model=dln-simulator", "error_type=none");
        Metrics.awaitAtLeast("dln_llm_calls_seconds_count", oursBefore + calls, "backend=chat", "operation=generate", "outcome=ok");
    }

    @Test
    void aChatBackendNobodyAnswersIsRetriedByOurPolicyAndYieldsAnErrorResult() {
        double retriesBefore = Metrics.sum("dln_llm_retries_total", "backend=chatdown");
        LlmRequest request = LlmRequest.generate("gen-" + UUID.randomUUID(), worker.runId(), 1, inTwoMinutes(), "chatdown",
                REPLY_PARTITION, GenerationRequest.greedy("nobody listens", 4, List.of()));
        try (PartitionReader replies = worker.replies()) {
            worker.publish(request);
            LlmResult result = WorkerClient.result(worker.awaitResults(replies, List.of(request)), request);
            assertEquals(LlmResult.Status.ERROR, result.status());
            // the extension's client failed to connect; our reading of it names the backend and the endpoint
            assertTrue(result.error().contains("backend 'chatdown'") && result.error().contains("cannot reach POST "), result.error());
        }
        Metrics.awaitAtLeast("dln_llm_retries_total", retriesBefore + 1, "backend=chatdown");
    }

    /** The simulator's {@code simulator.faults.retry-after} (its default): the Retry-After of its 429s. */
    private static final Duration SIMULATOR_RETRY_AFTER = Duration.ofSeconds(1);

    /**
     * The extension's exception carries no headers; our mapper on its REST client reads the 429's Retry-After, so the
     * retry is sent no sooner than the server asked (without it, the policy's first back-off is at most 100 ms).
     */
    @Test
    void aRateLimitedChatCallIsRetriedNoSoonerThanTheServersRetryAfter() throws Exception {
        String marker = "wait-" + UUID.randomUUID();
        LlmRequest request = LlmRequest.generate("gen-" + UUID.randomUUID(), worker.runId(), 1, inTwoMinutes(), "chat",
                REPLY_PARTITION, new GenerationRequest("Say " + marker + " after the wait:", 1, 0.7, 8, List.of("\n"), 7L));
        try (PartitionReader replies = worker.replies()) {
            // every request is refused with a 429 until the first attempt of this call has been
            setSimulatorFaults("rate-429=1");
            try {
                worker.publish(request);
                awaitUntil(() -> chatCalls.eventsOf(marker).stream().anyMatch(e -> e.kind() == ChatCalls.Kind.FAILED));
            } finally {
                setSimulatorFaults("");
            }
            LlmResult result = worker.okResult(worker.awaitResults(replies, List.of(request)), request);
            assertEquals(1, result.generation().texts().size());
        }
        List<ChatCalls.Event> attempts = chatCalls.eventsOf(marker);
        int waits = 0;
        for (int i = 1; i < attempts.size(); i++) {
            if (attempts.get(i - 1).kind() != ChatCalls.Kind.FAILED || attempts.get(i).kind() != ChatCalls.Kind.SENT) continue;
            Duration waited = Duration.ofNanos(attempts.get(i).nanos() - attempts.get(i - 1).nanos());
            assertTrue(waited.compareTo(SIMULATOR_RETRY_AFTER) >= 0,
                    () -> "retried " + waited.toMillis() + " ms after a 429 with Retry-After " + SIMULATOR_RETRY_AFTER.toSeconds() + " s");
            waits++;
        }
        assertTrue(waits >= 1, () -> "no retry after a refused attempt: " + attempts);
    }

    private static void setSimulatorFaults(String spec) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(KafkaAndSimulator.simulatorUrl + "/simulator/faults"))
                        .header("Content-Type", "text/plain").PUT(HttpRequest.BodyPublishers.ofString(spec)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response::body);
    }

    private static void awaitUntil(BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < until, "timed out waiting for the refused attempt");
            Thread.sleep(20);
        }
    }
}
