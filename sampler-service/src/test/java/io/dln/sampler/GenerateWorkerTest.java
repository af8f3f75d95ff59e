package io.dln.sampler;

import io.dln.core.lm.GenerationRequest;
import io.dln.core.lm.LogProbabilityRequest;
import io.dln.messages.LlmRequest;
import io.dln.messages.LlmResult;
import io.dln.messages.Topics;
import io.dln.testkit.KafkaTestClient.PartitionReader;
import io.dln.worker.testing.Metrics;
import io.dln.worker.testing.WorkerClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import static io.dln.worker.testing.WorkerClient.inTwoMinutes;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@WithTestResource(KafkaAndSimulator.class)
class GenerateWorkerTest {

    private static final int REPLY_PARTITION = 4;

    /** Requests keyed by request id. */
    @RegisterExtension
    final WorkerClient worker = new WorkerClient("sampler-test-", Topics.GENERATE_REQUESTS, Topics.GENERATE_REQUESTS_DLQ,
            REPLY_PARTITION, LlmRequest::requestId);

    @Test
    void answersGenerationRequestsOnTheReplyPartition() {
        List<LlmRequest> requests = IntStream.range(0, 5)
                .mapToObj(i -> generate("simulator", inTwoMinutes(), new GenerationRequest(
                        "Write one word about the sea, number " + i + ":", 2, 0.7, 12, List.of("\n"), 7L + i)))
                .toList();
        try (PartitionReader replies = worker.replies()) {
            requests.forEach(worker::publish);
            Map<String, ConsumerRecord<String, String>> records = worker.awaitResults(replies, requests);
            for (LlmRequest request : requests) {
                LlmResult result = worker.okResult(records, request);
                assertEquals(worker.runId(), result.runId());
                assertEquals(2, result.generation().texts().size());
                assertTrue(result.usage().completionTokens() > 0, () -> "usage " + result.usage());
                assertFalse(result.worker().isBlank());
            }
        }
        assertTrue(Metrics.sum("dln_worker_results_total", "operation=generate", "status=ok") >= requests.size());
        assertTrue(Metrics.sum("dln_llm_calls_seconds_count", "backend=simulator", "operation=generate", "outcome=ok") >= requests.size());
    }

    @Test
    void aBatchOfGenerationsWithTheirSeedsGetsTheAnswersOfTheSameGenerationsSentOneByOne() {
        String tag = UUID.randomUUID().toString();
        List<GenerationRequest> payloads = IntStream.range(0, 4).mapToObj(i -> new GenerationRequest(
                "Write one word about the river " + tag + ", number " + i + ":", 2, 0.7, 12, List.of("\n"), 40L + i)).toList();
        List<LlmRequest> alone = payloads.stream().map(p -> generate("simulator", inTwoMinutes(), p)).toList();
        LlmRequest batch = LlmRequest.batch("batch-" + tag, worker.runId(), 1, 1, inTwoMinutes(), "simulator",
                io.dln.messages.Operation.GENERATE, REPLY_PARTITION,
                IntStream.range(0, 4).mapToObj(i -> LlmRequest.Call.of("call-" + i + "-" + tag, payloads.get(i))).toList());
        try (PartitionReader replies = worker.replies()) {
            alone.forEach(worker::publish);
            worker.publish(batch);
            Map<String, ConsumerRecord<String, String>> records = worker.awaitResults(replies,
                    java.util.stream.Stream.concat(alone.stream(), java.util.stream.Stream.of(batch)).toList());
            LlmResult batched = worker.okResult(records, batch);
            assertEquals(LlmRequest.VERSION, batched.version());
            assertEquals(4, batched.results().size(), "one result message for the whole batch");
            for (int i = 0; i < 4; i++) {
                LlmResult.CallResult call = batched.results().get(i);
                assertEquals("call-" + i + "-" + tag, call.id());
                assertEquals(worker.okResult(records, alone.get(i)).generation().texts(), call.generation().texts(),
                        "generation " + i + " with seed " + payloads.get(i).seed());
            }
        }
    }

    @Test
    void dropsAnExpiredRequestAndServesTheNextOne() {
        worker.assertDropsExpiredAndServesNext(
                generate("simulator", System.currentTimeMillis() - 1_000, greedy("too late")),
                generate("simulator", inTwoMinutes(), greedy("in time")));
    }

    @Test
    void deadLettersWhatItCannotServeWithTheReasonAndGoesOn() {
        String garbageKey = "garbage-" + worker.runId();
        LlmRequest unknownBackend = generate("no-such-backend", inTwoMinutes(), greedy("hello"));
        LlmRequest scoreRequest = LlmRequest.logProbability("score-" + UUID.randomUUID(), worker.runId(), 0, inTwoMinutes(),
                "simulator", REPLY_PARTITION, new LogProbabilityRequest("The sky is", " blue")); // wrong topic
        LlmRequest noSuchPartition = LlmRequest.generate("gen-" + UUID.randomUUID(), worker.runId(), 1, inTwoMinutes(),
                "simulator", 99, greedy("hello")); // dead-lettered at intake, not after the producer's wait for metadata
        double unknownBefore = Metrics.sum("dln_worker_dead_lettered_total", "reason=unknown_backend");

        Map<String, String> reasons = worker.deadLetterReasons(garbageKey, "{ this is not json",
                List.of(unknownBackend, scoreRequest, noSuchPartition), generate("simulator", inTwoMinutes(), greedy("still served")));

        assertTrue(reasons.get(garbageKey).contains("not a valid LlmRequest"), reasons::toString);
        assertTrue(reasons.get(unknownBackend.requestId()).contains("unknown backend 'no-such-backend'"), reasons::toString);
        assertTrue(reasons.get(unknownBackend.requestId()).contains("simulator"), reasons::toString);
        assertTrue(reasons.get(scoreRequest.requestId()).contains("does not serve LOG_PROBABILITY"), reasons::toString);
        assertTrue(reasons.get(noSuchPartition.requestId()).contains("replyPartition 99 does not exist; dln.results has partitions 0.."),
                reasons::toString);
        assertTrue(Metrics.sum("dln_worker_dead_lettered_total", "reason=unknown_backend") >= unknownBefore + 1);
    }

    @Test
    void aFailingBackendYieldsAnErrorResult() {
        LlmRequest request = generate("down", inTwoMinutes(), greedy("nobody listens"));
        try (PartitionReader replies = worker.replies()) {
            worker.publish(request);
            LlmResult result = WorkerClient.result(worker.awaitResults(replies, List.of(request)), request);
            assertEquals(LlmResult.Status.ERROR, result.status());
            assertTrue(result.error().contains("backend 'down'"), result.error());
            assertEquals(null, result.generation());
        }
    }

    @Test
    void reportsReadyWithItsBackends() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", is("UP"))
                .body("checks.name", hasItem("LLM backends"));
    }

    private LlmRequest generate(String backend, long deadline, GenerationRequest payload) {
        return LlmRequest.generate("gen-" + UUID.randomUUID(), worker.runId(), 1, deadline, backend, REPLY_PARTITION, payload);
    }

    private static GenerationRequest greedy(String prompt) {
        return GenerationRequest.greedy(prompt, 8, List.of("\n"));
    }
}
