package io.dln.llm;

import io.dln.core.lm.LogProbability;
import io.dln.core.lm.LogProbabilityRequest;
import io.dln.core.lm.TokenUsage;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static io.dln.llm.FakeOpenAiServer.completions;
import static io.dln.llm.FakeOpenAiServer.echoChoice;
import static io.dln.llm.FakeOpenAiServer.ok;
import static io.dln.llm.TestModels.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EchoLogProbabilityTest {

    private static List<Double> lps(Double... values) {
        return Arrays.asList(values);
    }

    @Test
    void targetTokensAreFoundByTextOffsetAndAveragedInOneBatchedCall() throws Throwable {
        try (var server = new FakeOpenAiServer()) {
            // "The answer is" + " yes."  and  "The answer is y" + "es"  (token " yes" straddles the boundary)
            server.script("/v1/completions", ok(completions(List.of(
                    echoChoice(0, List.of("The", " answer", " is", " yes", "."), lps(null, -1.0, -2.0, -0.5, -1.5),
                            List.of(0, 3, 10, 13, 17)),
                    echoChoice(1, List.of("The", " answer", " is", " yes"), lps(null, -1.0, -2.0, -0.25),
                            List.of(0, 3, 10, 13))), 9, 0)));
            try (var model = TestModels.model(server, "vllm", c -> c)) {
                List<LogProbability> scores = await(model.logProbability(List.of(
                        new LogProbabilityRequest("The answer is", " yes."),
                        new LogProbabilityRequest("The answer is y", "es"))));

                assertEquals(-1.0, scores.get(0).meanLogProb(), 1e-12);
                assertEquals(2, scores.get(0).targetTokens());
                assertEquals(-0.25, scores.get(1).meanLogProb(), 1e-12);
                assertEquals(1, scores.get(1).targetTokens());
                // usage split per choice by echoed tokens: 5 and 4 of 9
                assertEquals(new TokenUsage(5, 0), scores.get(0).usage());
                assertEquals(new TokenUsage(4, 0), scores.get(1).usage());
            }
            var requests = server.requests("/v1/completions");
            assertEquals(1, requests.size());
            var body = requests.getFirst().body();
            assertEquals("The answer is yes.", body.get("prompt").get(0).asText());
            assertEquals("The answer is yes", body.get("prompt").get(1).asText());
            assertTrue(body.get("echo").asBoolean());
            assertEquals(0, body.get("max_tokens").asInt());
            assertEquals(1, body.get("logprobs").asInt());
            assertEquals(0.0, body.get("temperature").asDouble());
            assertEquals("test-model", body.get("model").asText());
        }
    }

    @Test
    void theBurnInLeavesTheFirstShareOfALongTargetOutOfItsMean() throws Throwable {
        // context "C" then 40 target tokens " t" with log-probabilities -4, -3, then -1 thirty-eight times
        List<String> tokens = new java.util.ArrayList<>(List.of("C"));
        List<Double> logprobs = new java.util.ArrayList<>(Arrays.asList((Double) null));
        List<Integer> offsets = new java.util.ArrayList<>(List.of(0));
        for (int t = 0; t < 40; t++) {
            tokens.add(" t");
            logprobs.add(t == 0 ? -4.0 : t == 1 ? -3.0 : -1.0);
            offsets.add(1 + 2 * t);
        }
        String target = " t".repeat(40);
        try (var server = new FakeOpenAiServer()) {
            server.on("/v1/completions", request -> ok(completions(List.of(echoChoice(0, tokens, logprobs, offsets)), 41, 0)));
            try (var model = TestModels.model(server, "vllm", c -> c)) {
                LogProbability all = await(model.logProbability(List.of(new LogProbabilityRequest("C", target, 0)))).getFirst();
                LogProbability burnedIn = await(model.logProbability(List.of(new LogProbabilityRequest("C", target, 0.05)))).getFirst();
                LogProbability short19 = await(model.logProbability(List.of(new LogProbabilityRequest("C", " t".repeat(19), 0.05))))
                        .getFirst();

                assertEquals((-4 - 3 - 38) / 40.0, all.meanLogProb(), 1e-12);
                // floor(0.05 x 40) = 2 tokens skipped: the mean of the last 38
                assertEquals(-1.0, burnedIn.meanLogProb(), 1e-12);
                assertEquals(40, burnedIn.targetTokens());
                // below 20 target tokens floor(0.05 x n) = 0: nothing is skipped
                assertEquals((-4 - 3 - 17) / 19.0, short19.meanLogProb(), 1e-12);
            }
        }
    }

    @Test
    void batchesAreSplitByMaxPromptsPerCallAndKeepRequestOrder() throws Throwable {
        try (var server = new FakeOpenAiServer()) {
            // Each prompt is "ctx" + one-token target whose logprob encodes the prompt: "ctx" + "<i>" -> -i
            server.on("/v1/completions", request -> {
                List<String> prompts = FakeOpenAiServer.prompts(request);
                List<java.util.Map<String, Object>> choices = new java.util.ArrayList<>();
                for (int i = 0; i < prompts.size(); i++) {
                    String p = prompts.get(i);
                    choices.add(echoChoice(i, List.of("ctx", p.substring(3)), lps(null, -Double.parseDouble(p.substring(3))), List.of(0, 3)));
                }
                return ok(completions(choices, 2L * prompts.size(), 0));
            });
            try (var model = TestModels.model(server, "vllm", c -> c.withMaxPromptsPerCall(2))) {
                var requests = java.util.stream.IntStream.range(1, 6)
                        .mapToObj(i -> new LogProbabilityRequest("ctx", String.valueOf(i))).toList();
                var scores = await(model.logProbability(requests));
                for (int i = 0; i < 5; i++) assertEquals(-(i + 1), scores.get(i).meanLogProb(), 1e-12);
            }
            assertEquals(3, server.requests("/v1/completions").size());
        }
    }

    @Test
    void firstTokenWithNullLogprobIsSkipped() {
        var echo = new CompletionsApi.Logprobs(List.of("Hi", " there"), lps(null, -0.7), List.of(), List.of(0, 2));
        var score = EchoScoring.score(echo, "", "Hi there");
        assertEquals(1, score.tokens());
        assertEquals(-0.7, score.meanLogProb(), 1e-12);
        assertNull(EchoScoring.score(new CompletionsApi.Logprobs(List.of("Hi"), lps((Double) null), List.of(), List.of(0)), "", "Hi"));
    }

    @Test
    void offsetsCountCodePointsNotUtf16Units() {
        // "😀" is one code point (Python's len) but two Java chars; the target " ok" starts at code point 2.
        var echo = new CompletionsApi.Logprobs(List.of("😀", "!", " ok"), lps(null, -3.0, -0.5), List.of(), List.of(0, 1, 2));
        var score = EchoScoring.score(echo, "😀!", " ok");
        assertEquals(1, score.tokens());
        assertEquals(-0.5, score.meanLogProb(), 1e-12);
    }

    @Test
    void generatedTokensPastThePromptAreIgnored() {
        var echo = new CompletionsApi.Logprobs(List.of("a", " b", " c"), lps(null, -1.0, -9.0), List.of(), List.of(0, 1, 3));
        var score = EchoScoring.score(echo, "a", " b");
        assertEquals(1, score.tokens());
        assertEquals(-1.0, score.meanLogProb(), 1e-12);
    }

    @Test
    void echoWithoutOffsetsIsABadResponse() {
        try (var server = new FakeOpenAiServer()) {
            server.script("/v1/completions", ok(completions(List.of(
                    echoChoice(0, List.of("a", " b"), lps(null, -1.0), List.of())), 2, 0)));
            try (var model = TestModels.model(server, "nooffsets", c -> c)) {
                var e = assertThrows(LlmBackendException.class,
                        () -> await(model.logProbability(List.of(new LogProbabilityRequest("a", " b")))));
                assertEquals(LlmBackendException.Failure.BAD_RESPONSE, e.failure());
                assertTrue(e.getMessage().contains("text offsets"), e.getMessage());
                assertFalse(e.retryable());
            }
        }
    }
}
