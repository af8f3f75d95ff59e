package io.dln.messages;

import io.dln.core.lm.ClassDistribution;
import io.dln.core.lm.ClassDistributionRequest;
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
}
