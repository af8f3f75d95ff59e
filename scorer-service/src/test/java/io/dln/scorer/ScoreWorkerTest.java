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
import io.dln.testkit.KafkaTestClient.PartitionReader;
import io.dln.worker.testing.KafkaAndSimulatorResource;
import io.dln.worker.testing.Metrics;
import io.dln.worker.testing.WorkerClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import static io.dln.worker.testing.WorkerClient.WAIT;
import static io.dln.worker.testing.WorkerClient.inTwoMinutes;
import static io.dln.worker.testing.WorkerClient.result;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@WithTestResource(KafkaAndSimulator.class)
class ScoreWorkerTest {

    private static final int REPLY_PARTITION = 5;
    private static final OutputClasses YES_NO = OutputClasses.of("yes|Yes", "no|No");

    /** Requests keyed by content, as the trainer does, so repeats land on the same partition and replica. */
    @RegisterExtension
    final WorkerClient worker = new WorkerClient("scorer-test-", Topics.SCORE_REQUESTS, Topics.SCORE_REQUESTS_DLQ,
            REPLY_PARTITION, MessageCodec::contentKey);

    @Test
    void answersLogProbabilityAndClassRequestsOnTheReplyPartition() {
        LlmRequest logProb = logProbability(inTwoMinutes(), "The sky over the sea is " + UUID.randomUUID() + " and", " blue");
        LlmRequest classes = classDistribution(inTwoMinutes(), "Is water wet? " + UUID.randomUUID() + "\nAnswer:");
        try (PartitionReader replies = worker.replies()) {
            worker.publish(logProb);
            worker.publish(classes);
            var records = worker.awaitResults(replies, List.of(logProb, classes));

            LlmResult lp = worker.okResult(records, logProb);
            assertTrue(lp.logProbability().meanLogProb() <= 0, () -> "log p " + lp.logProbability());
            assertTrue(lp.logProbability().targetTokens() >= 1, () -> "tokens " + lp.logProbability());
            assertTrue(lp.usage().promptTokens() > 0, () -> "usage " + lp.usage());

            LlmResult cd = result(records, classes);
            assertTrue(cd.ok(), () -> "expected OK, got " + cd);
            List<Double> p = cd.classDistribution().probabilities();
            assertEquals(2, p.size());
            assertEquals(1.0, p.get(0) + p.get(1), 1e-6);
            assertTrue(p.stream().allMatch(x -> x >= 0 && x <= 1), p::toString);
        }
    }

    @Test
    void answersABatchWithOneResultAndFailsOnlyTheCallThatFails() {
        String tag = UUID.randomUUID().toString();
        List<LlmRequest.Call> calls = List.of(
                LlmRequest.Call.of("c1-" + tag, new LogProbabilityRequest("The sky " + tag + " is", " blue")),
                // nothing before a one-token target: the echo gives a prompt's first token no log-probability, so this
                // prompt fails in any batch and alone
                LlmRequest.Call.of("c2-" + tag, new LogProbabilityRequest("", "x")),
                LlmRequest.Call.of("c3-" + tag, new LogProbabilityRequest("The sea " + tag + " is", " wet")));
        LlmRequest batch = LlmRequest.batch("batch-" + tag, worker.runId(), 1, 1, inTwoMinutes(), "simulator",
                io.dln.messages.Operation.LOG_PROBABILITY, REPLY_PARTITION, calls);
        try (PartitionReader replies = worker.replies()) {
            worker.publish(batch);
            LlmResult result = result(worker.awaitResults(replies, List.of(batch)), batch);
            assertEquals(LlmResult.Status.ERROR, result.status(), result::toString);
            assertEquals("1 of 3 calls failed", result.error());
            List<LlmResult.CallResult> each = result.results();
            assertEquals(List.of("c1-" + tag, "c2-" + tag, "c3-" + tag), each.stream().map(LlmResult.CallResult::id).toList());
            assertTrue(each.get(0).ok() && each.get(0).logProbability().meanLogProb() <= 0, each::toString);
            assertTrue(!each.get(1).ok() && each.get(1).error().contains("context must not be empty"), each::toString);
            assertTrue(each.get(2).ok() && each.get(2).logProbability().targetTokens() >= 1, each::toString);
        }
    }

    @Test
    void dropsAnExpiredRequestAndServesTheNextOne() {
        worker.assertDropsExpiredAndServesNext(
                logProbability(System.currentTimeMillis() - 1_000, "Too late " + UUID.randomUUID(), " now"),
                logProbability(inTwoMinutes(), "In time " + UUID.randomUUID(), " now"));
    }

    @Test
    void deadLettersWhatItCannotServeWithTheReasonAndGoesOn() {
        String garbageKey = "garbage-" + worker.runId();
        LlmRequest unknownBackend = LlmRequest.logProbability("lp-" + UUID.randomUUID(), worker.runId(), 0, inTwoMinutes(),
                "no-such-backend", REPLY_PARTITION, new LogProbabilityRequest("a", " b"));
        LlmRequest generation = LlmRequest.generate("gen-" + UUID.randomUUID(), worker.runId(), 0, inTwoMinutes(), "simulator",
                REPLY_PARTITION, GenerationRequest.greedy("hello", 4, List.of())); // wrong topic

        Map<String, String> reasons = worker.deadLetterReasons(garbageKey, "[1, 2, 3", List.of(unknownBackend, generation),
                logProbability(inTwoMinutes(), "Still served " + UUID.randomUUID(), " yes"));

        assertTrue(reasons.get(garbageKey).contains("not a valid LlmRequest"), reasons::toString);
        assertTrue(reasons.get(unknownBackend.requestId()).contains("unknown backend 'no-such-backend'; this service knows sim"),
                reasons::toString);
        assertTrue(reasons.get(generation.requestId()).contains("does not serve GENERATE"), reasons::toString);
    }

    @Test
    void servesARepeatFromTheCache() {
        awaitBackendProbed();
        String context = "Cache me " + UUID.randomUUID() + ":";
        LlmRequest first = logProbability(inTwoMinutes(), context, " once");
        LlmRequest repeat = logProbability(inTwoMinutes(), context, " once");
        try (PartitionReader replies = worker.replies()) {
            worker.publish(first);
            LlmResult firstResult = result(worker.awaitResults(replies, List.of(first)), first);
            double hits = Metrics.sum("dln_scorer_cache_total", "result=hit", "backend=simulator");
            double simulatorCalls = simulatorCompletions();

            worker.publish(repeat);
            LlmResult repeatResult = result(worker.awaitResults(replies, List.of(repeat)), repeat);

            assertTrue(repeatResult.ok(), repeatResult::toString);
            assertEquals(firstResult.logProbability().meanLogProb(), repeatResult.logProbability().meanLogProb());
            assertEquals(TokenUsage.NONE, repeatResult.usage(), "nothing sent to the backend");
            assertEquals(firstResult.logProbability().usage(), repeatResult.logProbability().usage(),
                    "what the call needs, the same whether the cache answered or not");
            assertEquals(hits + 1, Metrics.sum("dln_scorer_cache_total", "result=hit", "backend=simulator"));
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
        double clientCalls = Metrics.sum("dln_llm_calls_seconds_count", "backend=simulator");
        double simulatorCalls = simulatorCompletions();
        try (PartitionReader replies = worker.replies()) {
            Map<String, String> burst = new LinkedHashMap<>();
            requests.forEach(q -> burst.put(MessageCodec.contentKey(q), MessageCodec.toJson(q)));
            worker.kafka().sendAll(Topics.SCORE_REQUESTS, burst);
            var records = worker.awaitResults(replies, requests);
            assertTrue(requests.stream().allMatch(q -> result(records, q).ok()));
        }
        double httpCalls = simulatorCompletions() - simulatorCalls;
        assertTrue(httpCalls < requests.size(), "the simulator saw " + httpCalls + " calls for 20 requests");
        assertEquals(httpCalls, Metrics.sum("dln_llm_calls_seconds_count", "backend=simulator") - clientCalls);
        assertTrue(Metrics.sum("dln_scorer_batch_size_max", "backend=simulator") > 1);
    }

    @Test
    void reportsReadyWithItsBackends() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", is("UP"))
                .body("checks.name", hasItem("LLM backends"));
    }

    private LlmRequest logProbability(long deadline, String context, String target) {
        return LlmRequest.logProbability("lp-" + UUID.randomUUID(), worker.runId(), 1, deadline, "simulator", REPLY_PARTITION,
                new LogProbabilityRequest(context, target));
    }

    private LlmRequest classDistribution(long deadline, String context) {
        return LlmRequest.classDistribution("cd-" + UUID.randomUUID(), worker.runId(), 1, deadline, "simulator", REPLY_PARTITION,
                new ClassDistributionRequest(context, YES_NO, VerbalizerAggregation.MAX));
    }

    private static double simulatorCompletions() {
        return Metrics.sumAt(KafkaAndSimulatorResource.simulatorUrl + "/q/metrics", "simulator_requests_total", "endpoint=completions");
    }

    /** The start-up probe calls the simulator too; wait for it so it does not count as a scoring call. */
    private static void awaitBackendProbed() {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonPath health = given().get("/q/health/ready").then().extract().jsonPath();
            String sim = health.getString("checks.find { it.name == 'LLM backends' }.data.simulator");
            if (sim != null && sim.startsWith("ok")) return;
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        throw new AssertionError("backend simulator was not probed in time");
    }
}
