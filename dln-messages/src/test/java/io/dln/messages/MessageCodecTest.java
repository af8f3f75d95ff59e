package io.dln.messages;

import io.dln.core.lm.ClassDistribution;
import io.dln.core.lm.ClassDistributionRequest;
import io.dln.core.lm.Generation;
import io.dln.core.lm.GenerationRequest;
import io.dln.core.lm.LogProbabilityRequest;
import io.dln.core.lm.OutputClasses;
import io.dln.core.lm.TokenUsage;
import io.dln.core.lm.VerbalizerAggregation;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MessageCodecTest {

    @Test
    void requestsAndResultsSurviveTheWire() {
        LlmRequest request = LlmRequest.classDistribution("r1", "run", 3, 1000, "sim", 2,
                new ClassDistributionRequest("ctx", OutputClasses.of("yes|Yes", "no|No"), VerbalizerAggregation.SUM));
        assertEquals(request, MessageCodec.fromJson(MessageCodec.toJson(request), LlmRequest.class));

        LlmResult result = LlmResult.ok(request, new ClassDistribution(List.of(0.25, 0.75), new TokenUsage(5, 1)),
                new TokenUsage(5, 1), 12, "scorer-1");
        assertEquals(result, MessageCodec.fromJson(MessageCodec.toJson(result), LlmResult.class));

        LlmRequest generation = LlmRequest.generate("r2", "run", 0, 1000, "sim", 0,
                new GenerationRequest("p", 1, 0.7, 10, List.of("\n\n"), 99));
        assertEquals(generation, MessageCodec.fromJson(MessageCodec.toJson(generation), LlmRequest.class));
    }

    @Test
    void theContentKeyIgnoresWhoAsksButNotWhatIsAsked() {
        LogProbabilityRequest payload = new LogProbabilityRequest("context", "target");
        LlmRequest a = LlmRequest.logProbability("a", "run-1", 0, 1, "sim", 0, payload);
        LlmRequest b = LlmRequest.logProbability("b", "run-2", 5, 2, "sim", 3, payload);
        LlmRequest other = LlmRequest.logProbability("a", "run-1", 0, 1, "sim", 0, new LogProbabilityRequest("context", "other"));
        LlmRequest otherBackend = LlmRequest.logProbability("a", "run-1", 0, 1, "vllm", 0, payload);
        assertEquals(MessageCodec.contentKey(a), MessageCodec.contentKey(b));
        assertNotEquals(MessageCodec.contentKey(a), MessageCodec.contentKey(other));
        assertNotEquals(MessageCodec.contentKey(a), MessageCodec.contentKey(otherBackend));
    }

    @Test
    void unreadableOrIncompleteMessagesSayWhatIsWrong() {
        InvalidMessageException garbage = assertThrows(InvalidMessageException.class,
                () -> MessageCodec.fromJson("{not json", LlmRequest.class));
        assertTrue(garbage.getMessage().startsWith("not a valid LlmRequest"), garbage.getMessage());
        InvalidMessageException invalidPayload = assertThrows(InvalidMessageException.class,
                () -> MessageCodec.fromJson("{\"generation\":{\"prompt\":\"p\",\"n\":0,\"maxTokens\":5}}", LlmRequest.class));
        assertTrue(invalidPayload.getMessage().contains("n must be at least 1"), invalidPayload.getMessage());

        LlmRequest empty = MessageCodec.fromJson("{\"operation\":\"GENERATE\"}", LlmRequest.class);
        assertEquals(List.of("requestId is missing", "runId is missing", "backend is missing", "the GENERATE payload is missing"),
                empty.problems());
    }

    @Test
    void aScoreRequestCarriesItsBurnInAndOneWrittenBeforeTheFieldReadsAsNone() {
        LlmRequest withBurnIn = LlmRequest.logProbability("r3", "run", 0, 1000, "sim", 0,
                new LogProbabilityRequest("context", "target", 0.05));
        String json = MessageCodec.toJson(withBurnIn);
        assertTrue(json.contains("\"burnIn\":0.05"), json);
        assertEquals(withBurnIn, MessageCodec.fromJson(json, LlmRequest.class));

        String older = json.replace(",\"burnIn\":0.05", "");
        assertTrue(!older.contains("burnIn"), older);
        assertEquals(0.0, MessageCodec.fromJson(older, LlmRequest.class).logProbability().burnIn());
        assertNotEquals(MessageCodec.contentKey(withBurnIn), MessageCodec.contentKey(MessageCodec.fromJson(older, LlmRequest.class)),
                "scores with and without a burn-in are different answers");
    }

    @Test
    void aGenerationRequestCarriesItsFavouredTextsAndOneWrittenBeforeTheFieldHasNone() {
        LlmRequest biased = LlmRequest.generate("r4", "run", 0, 1000, "sim", 0,
                new GenerationRequest("p", 1, 0.0, 5, List.of("\n\n"), 0, List.of("yes", " yes")));
        String json = MessageCodec.toJson(biased);
        assertEquals(biased, MessageCodec.fromJson(json, LlmRequest.class));
        String older = json.replace(",\"favoured\":[\"yes\",\" yes\"]", "");
        assertTrue(!older.contains("favoured"), older);
        assertEquals(List.of(), MessageCodec.fromJson(older, LlmRequest.class).generation().favoured());
    }

    @Test
    void aBatchCarriesEachCallWithItsOwnIdAndIsAnsweredCallByCall() {
        List<LlmRequest.Call> calls = List.of(
                LlmRequest.Call.of("c1", new GenerationRequest("p1", 2, 0.7, 10, List.of(), 11)),
                LlmRequest.Call.of("c2", new GenerationRequest("p2", 2, 0.7, 10, List.of(), 12)));
        LlmRequest batch = LlmRequest.batch("m1", "run", 4, 1, 1000, "sim", Operation.GENERATE, 1, calls);
        byte[] wire = MessageCodec.toBytes(batch);
        LlmRequest read = MessageCodec.fromBytes(wire, LlmRequest.class);
        assertEquals(batch, read);
        assertEquals(LlmRequest.VERSION, read.version());
        assertEquals(List.of("c1", "c2"), read.calls().stream().map(LlmRequest.Call::id).toList());
        assertEquals(11, read.calls().getFirst().generation().seed(), "each generation keeps its own seed");
        assertEquals(List.of(), read.problems());

        LlmResult result = LlmResult.of(read, List.of(
                LlmResult.CallResult.ok("c1", new Generation(List.of("a", "b"), new TokenUsage(3, 2)), new TokenUsage(3, 2)),
                LlmResult.CallResult.error("c2", "HTTP 500")), 40, "sampler-1");
        LlmResult back = MessageCodec.fromBytes(MessageCodec.toBytes(result), LlmResult.class);
        assertEquals(result, back);
        assertEquals(LlmResult.Status.ERROR, back.status(), "one failed call makes the batch's status an error");
        assertEquals("1 of 2 calls failed", back.error());
        assertTrue(back.results().get(0).ok());
        assertEquals("HTTP 500", back.results().get(1).error());
        assertEquals(new TokenUsage(3, 2), back.usage());
    }

    @Test
    void aSingleCallMessageOfVersionOneIsStillReadAndAnsweredInVersionOne() {
        // as a trainer before batches wrote it: no version, no batch
        String old = "{\"requestId\":\"r9\",\"runId\":\"run\",\"step\":2,\"attempt\":1,\"deadlineEpochMillis\":1000,"
                + "\"backend\":\"sim\",\"operation\":\"LOG_PROBABILITY\",\"replyPartition\":3,"
                + "\"logProbability\":{\"context\":\"c\",\"target\":\"t\"}}";
        LlmRequest read = MessageCodec.fromBytes(old.getBytes(java.nio.charset.StandardCharsets.UTF_8), LlmRequest.class);
        assertEquals(1, read.version());
        assertEquals(List.of(), read.problems());
        assertEquals(1, read.calls().size());
        assertEquals("r9", read.calls().getFirst().id());
        assertEquals(new LogProbabilityRequest("c", "t"), read.calls().getFirst().logProbability());

        LlmResult answer = LlmResult.of(read, List.of(LlmResult.CallResult.ok("r9",
                new io.dln.core.lm.LogProbability(-0.5, 1, TokenUsage.NONE), TokenUsage.NONE)), 5, "scorer-1");
        String json = MessageCodec.toJson(answer);
        assertTrue(!json.contains("batch") && !json.contains("version\":2"), json);
        assertEquals(-0.5, MessageCodec.fromJson(json, LlmResult.class).logProbability().meanLogProb(),
                "an old trainer reads its answer where it always did");
    }

    @Test
    void aBatchThatCannotBeServedSaysWhy() {
        var payload = new LogProbabilityRequest("c", "t");
        LlmRequest repeated = LlmRequest.batch("m", "run", 0, 1, 1000, "sim", Operation.LOG_PROBABILITY, 0,
                List.of(LlmRequest.Call.of("a", payload), LlmRequest.Call.of("a", payload),
                        LlmRequest.Call.of("b", new GenerationRequest("p", 1, 0, 5, List.of(), 0))));
        assertEquals(List.of("batch[1].id repeats a", "batch[2]: the LOG_PROBABILITY payload is missing"), repeated.problems());
        assertEquals(List.of("batch is empty"),
                LlmRequest.batch("m", "run", 0, 1, 1000, "sim", Operation.LOG_PROBABILITY, 0, List.of()).problems());
        String newer = MessageCodec.toJson(LlmRequest.batch("m", "run", 0, 1, 1000, "sim", Operation.LOG_PROBABILITY, 0,
                List.of(LlmRequest.Call.of("a", payload)))).replace("\"version\":2", "\"version\":3");
        assertTrue(MessageCodec.fromJson(newer, LlmRequest.class).problems().getFirst().startsWith("version 3 is newer"));
    }

    @Test
    void theContentKeyOfACallIsTheOneOfTheSameCallSentAlone() {
        var payload = new LogProbabilityRequest("context", "target");
        assertEquals(MessageCodec.contentKey(LlmRequest.logProbability("x", "run", 0, 1, "sim", 0, payload)),
                MessageCodec.contentKey("sim", Operation.LOG_PROBABILITY, payload));
        assertEquals(MessageCodec.sha256("sim\u0000LOG_PROBABILITY\u0000" + MessageCodec.toJson(payload)),
                MessageCodec.contentKey("sim", Operation.LOG_PROBABILITY, payload), "the same keys as before batches");
    }
}
