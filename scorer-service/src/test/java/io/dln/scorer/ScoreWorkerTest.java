package io.dln.scorer;

import io.dln.core.lm.ClassDistributionRequest;
import io.dln.core.lm.GenerationRequest;
import io.dln.core.lm.LogProbabilityRequest;
import io.dln.core.lm.OutputClasses;
import io.dln.core.lm.TokenUsage;
import io.dln.core.lm.VerbalizerAggregation;
import io.dln.messages.LlmRequest;
import io.dln.messages.LlmResult;
import io.dln.messages.MessageCodec;
import io.dln.messages.Topics;
import io.dln.testkit.KafkaTestClient;
import io.dln.testkit.KafkaTestClient.PartitionReader;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@WithTestResource(KafkaAndSimulator.class)
class ScoreWorkerTest {

    private static final int REPLY_PARTITION = 5;
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final OutputClasses YES_NO = OutputClasses.of("yes|Yes", "no|No");

    private KafkaTestClient kafka;
    private String runId;

    @BeforeEach
    void connect() {
        kafka = new KafkaTestClient(KafkaAndSimulator.bootstrap);
        runId = "scorer-test-" + UUID.randomUUID();
    }

    @AfterEach
    void disconnect() {
        kafka.close();
    }

    @Test
    void answersLogProbabilityAndClassRequestsOnTheReplyPartition() {
        LlmRequest logProb = logProbability(inTwoMinutes(), "The sky over the sea is " + UUID.randomUUID() + " and", " blue");
        LlmRequest classes = classDistribution(inTwoMinutes(), "Is water wet? " + UUID.randomUUID() + "\nAnswer:");
        try (PartitionReader replies = kafka.readFromEnd(Topics.RESULTS, REPLY_PARTITION)) {
            publish(logProb);
            publish(classes);
            var records = awaitResults(replies, List.of(logProb, classes));

            ConsumerRecord<String, String> lpRecord = records.get(logProb.requestId());
            assertEquals(REPLY_PARTITION, lpRecord.partition());
            assertEquals(runId, lpRecord.key());
            LlmResult lp = MessageCodec.fromJson(lpRecord.value(), LlmResult.class);
            assertTrue(lp.ok(), () -> "expected OK, got " + lp);
            assertTrue(lp.logProbability().meanLogProb() <= 0, () -> "log p " + lp.logProbability());
            assertTrue(lp.logProbability().targetTokens() >= 1, () -> "tokens " + lp.logProbability());
            assertTrue(lp.usage().promptTokens() > 0, () -> "usage " + lp.usage());

            LlmResult cd = MessageCodec.fromJson(records.get(classes.requestId()).value(), LlmResult.class);
            assertTrue(cd.ok(), () -> "expected OK, got " + cd);
            List<Double> p = cd.classDistribution().probabilities();
            assertEquals(2, p.size());
            assertEquals(1.0, p.get(0) + p.get(1), 1e-6);
            assertTrue(p.stream().allMatch(x -> x >= 0 && x <= 1), p::toString);
        }
    }

    @Test
    void dropsAnExpiredRequestAndServesTheNextOne() {
        double expiredBefore = Metrics.sum("dln_worker_expired_total", "operation=log_probability");
        LlmRequest expired = logProbability(System.currentTimeMillis() - 1_000, "Too late " + UUID.randomUUID(), " now");
        LlmRequest valid = logProbability(inTwoMinutes(), "In time " + UUID.randomUUID(), " now");
        try (PartitionReader replies = kafka.readFromEnd(Topics.RESULTS, REPLY_PARTITION)) {
            publish(expired);
            publish(valid);
            awaitResults(replies, List.of(valid));
            List<ConsumerRecord<String, String>> more = replies.readFor(Duration.ofSeconds(2));
            assertTrue(more.stream().noneMatch(r -> r.value().contains(expired.requestId())), "the expired request got a result");
        }
        awaitMetric("dln_worker_expired_total", expiredBefore + 1, "operation=log_probability");
    }

    @Test
    void deadLettersWhatItCannotServeWithTheReasonAndGoesOn() {
        String garbageKey = "garbage-" + runId;
        LlmRequest unknownBackend = LlmRequest.logProbability("lp-" + UUID.randomUUID(), runId, 0, inTwoMinutes(),
                "no-such-backend", REPLY_PARTITION, new LogProbabilityRequest("a", " b"));
        LlmRequest generation = LlmRequest.generate("gen-" + UUID.randomUUID(), runId, 0, inTwoMinutes(), "simulator",
                REPLY_PARTITION, GenerationRequest.greedy("hello", 4, List.of()));
        LlmRequest valid = logProbability(inTwoMinutes(), "Still served " + UUID.randomUUID(), " yes");

        try (PartitionReader dlq = kafka.readFromEnd(Topics.SCORE_REQUESTS_DLQ, 0);
             PartitionReader replies = kafka.readFromEnd(Topics.RESULTS, REPLY_PARTITION)) {
            kafka.send(Topics.SCORE_REQUESTS, garbageKey, "[1, 2, 3");
            kafka.send(Topics.SCORE_REQUESTS, unknownBackend.requestId(), MessageCodec.toJson(unknownBackend));
            kafka.send(Topics.SCORE_REQUESTS, generation.requestId(), MessageCodec.toJson(generation)); // wrong topic
            publish(valid);
            awaitResults(replies, List.of(valid));

            var keys = List.of(garbageKey, unknownBackend.requestId(), generation.requestId());
            // other replicas on the shared broker may dead-letter the same records: all their reasons are kept
            Map<String, String> reasons = new HashMap<>();
            dlq.readUntil(records -> {
                reasons.clear();
                records.stream().filter(r -> keys.contains(r.key()))
                        .forEach(r -> reasons.merge(r.key(), header(r, "dead-letter-reason"), (a, b) -> a + " | " + b));
                return reasons.keySet().containsAll(keys);
            }, WAIT);
            assertTrue(reasons.get(garbageKey).contains("not a valid LlmRequest"), reasons::toString);
            assertTrue(reasons.get(unknownBackend.requestId()).contains("unknown backend 'no-such-backend'; this service knows sim"),
                    reasons::toString);
            assertTrue(reasons.get(generation.requestId()).contains("does not serve GENERATE"), reasons::toString);
        }
    }

    @Test
    void servesARepeatFromTheCache() {
        awaitBackendProbed();
        String context = "Cache me " + UUID.randomUUID() + ":";
        LlmRequest first = logProbability(inTwoMinutes(), context, " once");
        LlmRequest repeat = logProbability(inTwoMinutes(), context, " once");
        try (PartitionReader replies = kafka.readFromEnd(Topics.RESULTS, REPLY_PARTITION)) {
            publish(first);
            LlmResult firstResult = result(awaitResults(replies, List.of(first)), first);
            double hits = Metrics.sum("dln_scorer_cache_total", "result=hit", "backend=sim");
            double simulatorCalls = simulatorCompletions();

            publish(repeat);
            LlmResult repeatResult = result(awaitResults(replies, List.of(repeat)), repeat);

            assertTrue(repeatResult.ok(), repeatResult::toString);
            assertEquals(firstResult.logProbability().meanLogProb(), repeatResult.logProbability().meanLogProb());
            assertEquals(TokenUsage.NONE, repeatResult.usage());
            assertEquals(hits + 1, Metrics.sum("dln_scorer_cache_total", "result=hit", "backend=sim"));
            assertEquals(simulatorCalls, simulatorCompletions(), "the repeat reached the simulator");
        }
    }

    @Test
    void batchesTwentyRequestsIntoFewerCalls() {
        awaitBackendProbed();
        String topic = UUID.randomUUID().toString();
        List<LlmRequest> requests = IntStream.range(0, 20)
                .mapToObj(i -> i % 2 == 0
                        ? logProbability(inTwoMinutes(), "Batch " + topic + " item " + i + ":", " fine")
                        : classDistribution(inTwoMinutes(), "Batch " + topic + " question " + i + "? Answer:"))
                .toList();
        double clientCalls = Metrics.sum("dln_llm_calls_seconds_count", "backend=sim");
        double simulatorCalls = simulatorCompletions();
        try (PartitionReader replies = kafka.readFromEnd(Topics.RESULTS, REPLY_PARTITION)) {
            Map<String, String> burst = new LinkedHashMap<>();
            requests.forEach(q -> burst.put(MessageCodec.contentKey(q), MessageCodec.toJson(q)));
            kafka.sendAll(Topics.SCORE_REQUESTS, burst);
            var records = awaitResults(replies, requests);
            assertTrue(requests.stream().allMatch(q -> result(records, q).ok()));
        }
        double httpCalls = simulatorCompletions() - simulatorCalls;
        assertTrue(httpCalls < requests.size(), "the simulator saw " + httpCalls + " calls for 20 requests");
        assertEquals(httpCalls, Metrics.sum("dln_llm_calls_seconds_count", "backend=sim") - clientCalls);
        assertTrue(Metrics.sum("dln_scorer_batch_size_max", "backend=sim") > 1);
    }

    @Test
    void reportsReadyWithItsBackends() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", is("UP"))
                .body("checks.name", hasItem("LLM backends"));
    }

    private LlmRequest logProbability(long deadline, String context, String target) {
        return LlmRequest.logProbability("lp-" + UUID.randomUUID(), runId, 1, deadline, "simulator", REPLY_PARTITION,
                new LogProbabilityRequest(context, target));
    }

    private LlmRequest classDistribution(long deadline, String context) {
        return LlmRequest.classDistribution("cd-" + UUID.randomUUID(), runId, 1, deadline, "simulator", REPLY_PARTITION,
                new ClassDistributionRequest(context, YES_NO, VerbalizerAggregation.MAX));
    }

    /** Keyed by content, as the trainer does, so repeats land on the same partition and replica. */
    private void publish(LlmRequest request) {
        kafka.send(Topics.SCORE_REQUESTS, MessageCodec.contentKey(request), MessageCodec.toJson(request));
    }

    private static long inTwoMinutes() {
        return System.currentTimeMillis() + 120_000;
    }

    private static double simulatorCompletions() {
        return Metrics.sumAt(KafkaAndSimulator.simulatorUrl + "/q/metrics", "simulator_requests_total", "endpoint=completions");
    }

    /** The start-up probe calls the simulator too; wait for it so it does not count as a scoring call. */
    private static void awaitBackendProbed() {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonPath health = given().get("/q/health/ready").then().extract().jsonPath();
            String sim = health.getString("checks.find { it.name == 'LLM backends' }.data.sim");
            if (sim != null && sim.startsWith("ok")) return;
            sleep(100);
        }
        throw new AssertionError("backend sim was not probed in time");
    }

    private static LlmResult result(Map<String, ConsumerRecord<String, String>> records, LlmRequest request) {
        return MessageCodec.fromJson(records.get(request.requestId()).value(), LlmResult.class);
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
            sleep(100);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
