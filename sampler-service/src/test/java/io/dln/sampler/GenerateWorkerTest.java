package io.dln.sampler;

import io.dln.core.lm.GenerationRequest;
import io.dln.core.lm.LogProbabilityRequest;
import io.dln.messages.LlmRequest;
import io.dln.messages.LlmResult;
import io.dln.messages.MessageCodec;
import io.dln.messages.Topics;
import io.dln.testkit.KafkaTestClient;
import io.dln.testkit.KafkaTestClient.PartitionReader;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@WithTestResource(KafkaAndSimulator.class)
class GenerateWorkerTest {

    private static final int REPLY_PARTITION = 4;
    private static final Duration WAIT = Duration.ofSeconds(60);

    private KafkaTestClient kafka;
    private String runId;

    @BeforeEach
    void connect() {
        kafka = new KafkaTestClient(KafkaAndSimulator.bootstrap);
        runId = "sampler-test-" + UUID.randomUUID();
    }

    @AfterEach
    void disconnect() {
        kafka.close();
    }

    @Test
    void answersGenerationRequestsOnTheReplyPartition() {
        List<LlmRequest> requests = IntStream.range(0, 5)
                .mapToObj(i -> generate("simulator", inTwoMinutes(), new GenerationRequest(
                        "Write one word about the sea, number " + i + ":", 2, 0.7, 12, List.of("\n"), 7L + i)))
                .toList();
        try (PartitionReader replies = kafka.readFromEnd(Topics.RESULTS, REPLY_PARTITION)) {
            requests.forEach(this::publish);
            Map<String, ConsumerRecord<String, String>> records = awaitResults(replies, requests);
            for (LlmRequest request : requests) {
                ConsumerRecord<String, String> record = records.get(request.requestId());
                assertEquals(REPLY_PARTITION, record.partition());
                assertEquals(runId, record.key());
                LlmResult result = MessageCodec.fromJson(record.value(), LlmResult.class);
                assertTrue(result.ok(), () -> "expected OK, got " + result);
                assertEquals(runId, result.runId());
                assertEquals(2, result.generation().texts().size());
                assertTrue(result.usage().completionTokens() > 0, () -> "usage " + result.usage());
                assertFalse(result.worker().isBlank());
            }
        }
        assertTrue(Metrics.sum("dln_worker_results_total", "operation=generate", "status=ok") >= requests.size());
        assertTrue(Metrics.sum("dln_llm_calls_seconds_count", "backend=sim", "operation=generate", "outcome=ok") >= requests.size());
    }

    @Test
    void dropsAnExpiredRequestAndServesTheNextOne() {
        double expiredBefore = Metrics.sum("dln_worker_expired_total", "operation=generate");
        LlmRequest expired = generate("simulator", System.currentTimeMillis() - 1_000, greedy("too late"));
        LlmRequest valid = generate("simulator", inTwoMinutes(), greedy("in time"));
        try (PartitionReader replies = kafka.readFromEnd(Topics.RESULTS, REPLY_PARTITION)) {
            publish(expired);
            publish(valid);
            awaitResults(replies, List.of(valid));
            List<ConsumerRecord<String, String>> more = replies.readFor(Duration.ofSeconds(2));
            assertTrue(more.stream().noneMatch(r -> r.value().contains(expired.requestId())), "the expired request got a result");
        }
        awaitMetric("dln_worker_expired_total", expiredBefore + 1, "operation=generate");
    }

    @Test
    void deadLettersWhatItCannotServeWithTheReasonAndGoesOn() {
        String garbageKey = "garbage-" + runId;
        LlmRequest unknownBackend = generate("no-such-backend", inTwoMinutes(), greedy("hello"));
        LlmRequest scoreRequest = LlmRequest.logProbability("score-" + UUID.randomUUID(), runId, 0, inTwoMinutes(), "simulator",
                REPLY_PARTITION, new LogProbabilityRequest("The sky is", " blue"));
        LlmRequest valid = generate("simulator", inTwoMinutes(), greedy("still served"));
        double unknownBefore = Metrics.sum("dln_worker_dead_lettered_total", "reason=unknown_backend");

        try (PartitionReader dlq = kafka.readFromEnd(Topics.GENERATE_REQUESTS_DLQ, 0);
             PartitionReader replies = kafka.readFromEnd(Topics.RESULTS, REPLY_PARTITION)) {
            kafka.send(Topics.GENERATE_REQUESTS, garbageKey, "{ this is not json");
            publish(unknownBackend);
            kafka.send(Topics.GENERATE_REQUESTS, scoreRequest.requestId(), MessageCodec.toJson(scoreRequest)); // wrong topic
            publish(valid);
            awaitResults(replies, List.of(valid));

            var keys = List.of(garbageKey, unknownBackend.requestId(), scoreRequest.requestId());
            // other replicas on the shared broker may dead-letter the same records: all their reasons are kept
            Map<String, String> reasons = new HashMap<>();
            dlq.readUntil(records -> {
                reasons.clear();
                records.stream().filter(r -> keys.contains(r.key()))
                        .forEach(r -> reasons.merge(r.key(), header(r, "dead-letter-reason"), (a, b) -> a + " | " + b));
                return reasons.keySet().containsAll(keys);
            }, WAIT);
            assertTrue(reasons.get(garbageKey).contains("not a valid LlmRequest"), reasons::toString);
            assertTrue(reasons.get(unknownBackend.requestId()).contains("unknown backend 'no-such-backend'"), reasons::toString);
            assertTrue(reasons.get(unknownBackend.requestId()).contains("simulator"), reasons::toString);
            assertTrue(reasons.get(scoreRequest.requestId()).contains("does not serve LOG_PROBABILITY"), reasons::toString);
        }
        assertTrue(Metrics.sum("dln_worker_dead_lettered_total", "reason=unknown_backend") >= unknownBefore + 1);
    }

    @Test
    void aFailingBackendYieldsAnErrorResult() {
        LlmRequest request = generate("down", inTwoMinutes(), greedy("nobody listens"));
        try (PartitionReader replies = kafka.readFromEnd(Topics.RESULTS, REPLY_PARTITION)) {
            publish(request);
            LlmResult result = MessageCodec.fromJson(awaitResults(replies, List.of(request)).get(request.requestId()).value(),
                    LlmResult.class);
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
        return LlmRequest.generate("gen-" + UUID.randomUUID(), runId, 1, deadline, backend, REPLY_PARTITION, payload);
    }

    private static GenerationRequest greedy(String prompt) {
        return GenerationRequest.greedy(prompt, 8, List.of("\n"));
    }

    private void publish(LlmRequest request) {
        kafka.send(request.operation().topic(), request.requestId(), MessageCodec.toJson(request));
    }

    /** This service's result of each request, by request id. */
    private Map<String, ConsumerRecord<String, String>> awaitResults(PartitionReader replies, Collection<LlmRequest> requests) {
        Map<String, ConsumerRecord<String, String>> byId = new HashMap<>();
        replies.readUntil(records -> {
            for (var r : records) {
                if (!runId.equals(r.key())) continue;
                LlmResult result = MessageCodec.fromJson(r.value(), LlmResult.class);
                if (KafkaAndSimulator.WORKER_ID.equals(result.worker())) byId.putIfAbsent(result.requestId(), r);
            }
            return requests.stream().allMatch(q -> byId.containsKey(q.requestId()));
        }, WAIT);
        for (LlmRequest q : requests) assertNotNull(byId.get(q.requestId()), "no result for " + q.requestId());
        return byId;
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static void awaitMetric(String name, double atLeast, String... tags) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (Metrics.sum(name, tags) < atLeast) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + " stayed below " + atLeast + ": " + Metrics.sum(name, tags));
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static long inTwoMinutes() {
        return System.currentTimeMillis() + 120_000;
    }
}
