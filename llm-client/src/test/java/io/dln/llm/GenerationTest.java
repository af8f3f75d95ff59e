package io.dln.llm;

import io.dln.core.lm.Generation;
import io.dln.core.lm.GenerationRequest;
import io.dln.core.lm.TokenUsage;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import static io.dln.llm.FakeOpenAiServer.chat;
import static io.dln.llm.FakeOpenAiServer.completions;
import static io.dln.llm.FakeOpenAiServer.ok;
import static io.dln.llm.FakeOpenAiServer.textChoice;
import static io.dln.llm.TestModels.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GenerationTest {

    /** Answers every prompt p with samples "p#j", listing the choices in reverse index order. */
    private static FakeOpenAiServer.Reply echoPrompts(FakeOpenAiServer.Request request) {
        List<String> prompts = FakeOpenAiServer.prompts(request);
        int n = request.body().path("n").asInt(1);
        List<Map<String, Object>> choices = new ArrayList<>();
        for (int p = 0; p < prompts.size(); p++) {
            for (int j = 0; j < n; j++) choices.add(textChoice(p * n + j, prompts.get(p) + "#" + j));
        }
        Collections.reverse(choices);
        return ok(completions(choices, 10L * prompts.size(), 7L * prompts.size() * n));
    }

    @Test
    void severalPromptsGoInOneCallAndComeBackInOrderWithUsageSplit() throws Throwable {
        try (var server = new FakeOpenAiServer()) {
            server.on("/v1/completions", GenerationTest::echoPrompts);
            try (var model = TestModels.model(server, "batcher", c -> c.withMaxPromptsPerCall(3))) {
                List<GenerationRequest> requests = new ArrayList<>();
                for (int i = 0; i < 5; i++) requests.add(new GenerationRequest("prompt " + i, 2, 0.8, 16, List.of("\n"), 7));
                List<Generation> out = await(model.generate(requests));

                for (int i = 0; i < 5; i++) assertEquals(List.of("prompt " + i + "#0", "prompt " + i + "#1"), out.get(i).texts());
                // first call served 3 prompts (30 prompt, 42 completion tokens), equal lengths -> equal shares
                assertEquals(new TokenUsage(10, 14), out.get(0).usage());
                TokenUsage total = out.stream().map(Generation::usage).reduce(TokenUsage.NONE, TokenUsage::plus);
                assertEquals(new TokenUsage(50, 70), total);
                assertEquals(new CallCounters.Counts(2, 0, 0, 50, 70), model.counters().get(LlmOperation.GENERATE));
            }
            var calls = server.requests("/v1/completions");
            assertEquals(2, calls.size());
            var sizes = calls.stream().map(r -> FakeOpenAiServer.prompts(r).size()).sorted().toList();
            assertEquals(List.of(2, 3), sizes);
            var body = calls.getFirst().body();
            assertEquals(2, body.get("n").asInt());
            assertEquals(0.8, body.get("temperature").asDouble());
            assertEquals(16, body.get("max_tokens").asInt());
            assertEquals("\n", body.get("stop").get(0).asText());
            assertEquals(7, body.get("seed").asLong());
            assertFalse(body.has("echo"));
        }
    }

    @Test
    void requestsWithDifferentSettingsGoInSeparateCallsAndAGreedySeedIsNotSent() throws Throwable {
        try (var server = new FakeOpenAiServer()) {
            server.on("/v1/completions", GenerationTest::echoPrompts);
            try (var model = TestModels.model(server, "batcher", c -> c)) {
                List<Generation> out = await(model.generate(List.of(
                        GenerationRequest.greedy("a", 5, List.of()),
                        new GenerationRequest("b", 1, 1.0, 5, List.of(), 3),
                        new GenerationRequest("c", 1, 0.0, 5, List.of(), 99))));
                assertEquals(List.of("a#0", "b#0", "c#0"), out.stream().map(Generation::first).toList());
            }
            var calls = server.requests("/v1/completions");
            assertEquals(2, calls.size()); // a and c share greedy settings; b samples
            var greedy = calls.stream().filter(r -> r.body().get("temperature").asDouble() == 0).findFirst().orElseThrow();
            assertEquals(List.of("a", "c"), FakeOpenAiServer.prompts(greedy));
            assertFalse(greedy.body().has("seed"));
            assertFalse(greedy.body().has("stop"));
            var sampled = calls.stream().filter(r -> r.body().get("temperature").asDouble() == 1.0).findFirst().orElseThrow();
            assertTrue(sampled.body().get("prompt").isTextual(), "a single prompt is sent as a string");
        }
    }

    @Test
    void chatGenerationGoesThroughLangChain4jOneCallPerSample() throws Throwable {
        try (var server = new FakeOpenAiServer()) {
            server.on("/v1/chat/completions", request ->
                    ok(chat("seed " + request.body().path("seed").asInt(), 12, 3, null)));
            BackendConfig config = TestModels.config(server, "openai")
                    .withKind(BackendKind.OPENAI_CHAT).withApiKeyEnv(TestModels.KEY_VARIABLE);
            try (var model = TestModels.model(config)) {
                List<Generation> out = await(model.generate(List.of(
                        new GenerationRequest("Say hi", 2, 0.7, 20, List.of("END"), 41))));
                assertEquals(List.of("seed 41", "seed 42"), out.getFirst().texts());
                assertEquals(new TokenUsage(24, 6), out.getFirst().usage());
            }
            var calls = server.requests("/v1/chat/completions");
            assertEquals(2, calls.size());
            Set<Integer> seeds = new HashSet<>();
            for (var call : calls) {
                var body = call.body();
                seeds.add(body.get("seed").asInt());
                assertEquals("test-model", body.get("model").asText());
                assertEquals(0.7, body.get("temperature").asDouble());
                assertEquals(20, body.get("max_tokens").asInt());
                assertEquals("END", body.get("stop").get(0).asText());
                assertEquals("user", body.get("messages").get(0).get("role").asText());
                assertEquals("Say hi", body.get("messages").get(0).get("content").asText());
                assertEquals("Bearer " + TestModels.SECRET, call.header("Authorization"));
            }
            assertEquals(Set.of(41, 42), seeds);
        }
    }

    @Test
    void withCallsOnCallingThreadAVirtualCallerMakesTheLastCallOfItsBatchItself() throws Throwable {
        try (var server = new FakeOpenAiServer()) {
            server.on("/v1/completions", GenerationTest::echoPrompts);
            // the listener runs on the thread that made the call
            List<Thread> callers = Collections.synchronizedList(new ArrayList<>());
            LlmCallListener recordCaller = new LlmCallListener() {
                @Override
                public void onSuccess(String backend, LlmOperation operation, int attempts, Duration elapsed, TokenUsage usage) {
                    callers.add(Thread.currentThread());
                }
            };
            BackendConfig config = TestModels.config(server, "inline").withMaxPromptsPerCall(2);
            try (var model = OpenAiCompatibleModel.builder(config).environment(Map.of(TestModels.KEY_VARIABLE, TestModels.SECRET)::get)
                    .listener(recordCaller).callsOnCallingThread(true).build()) {
                List<GenerationRequest> three = new ArrayList<>();
                for (int i = 0; i < 3; i++) three.add(new GenerationRequest("prompt " + i, 1, 0.0, 8, List.of(), 0));
                var answers = new AtomicReference<List<Generation>>();
                Thread caller = Thread.ofVirtual().start(() -> answers.set(model.generate(three).join()));
                caller.join();

                assertEquals(List.of("prompt 0#0", "prompt 1#0", "prompt 2#0"), answers.get().stream().map(Generation::first).toList());
                assertEquals(2, callers.size());
                assertEquals(1, callers.stream().filter(t -> t == caller).count(), "the caller made one of the two calls: " + callers);

                // a platform thread may be an event loop: it never waits for a backend itself
                callers.clear();
                await(model.generate(three.subList(0, 1)));
                assertEquals(1, callers.size());
                assertTrue(callers.getFirst() != Thread.currentThread());
            }
            // off by default: a virtual caller's only call goes to a thread of its own
            callers.clear();
            try (var model = OpenAiCompatibleModel.builder(config).environment(Map.of(TestModels.KEY_VARIABLE, TestModels.SECRET)::get)
                    .listener(recordCaller).build()) {
                Thread caller = Thread.ofVirtual().start(() -> model.generate(
                        List.of(new GenerationRequest("alone", 1, 0.0, 8, List.of(), 0))).join());
                caller.join();
                assertEquals(1, callers.size());
                assertTrue(callers.getFirst() != caller);
            }
        }
    }

    @Test
    void emptyBatchesMakeNoCalls() throws Throwable {
        try (var server = new FakeOpenAiServer(); var model = TestModels.model(server, "idle", c -> c)) {
            assertEquals(List.of(), await(model.generate(List.of())));
            assertEquals(List.of(), await(model.logProbability(List.of())));
            assertEquals(List.of(), await(model.classDistribution(List.of())));
            assertTrue(server.requests().isEmpty());
        }
    }

    @Test
    void usageSplitAddsUpExactly() {
        long[] shares = UsageSplit.apportion(10, new long[]{1, 1, 1});
        assertEquals(10, shares[0] + shares[1] + shares[2]);
        assertEquals(List.of(4L, 3L, 3L), List.of(shares[0], shares[1], shares[2]));
        long[] even = UsageSplit.apportion(5, new long[]{0, 0});
        assertEquals(5, even[0] + even[1]);
        long[] weighted = UsageSplit.apportion(100, new long[]{1, 3});
        assertEquals(25, weighted[0]);
        assertEquals(75, weighted[1]);
    }

    @Test
    void favouredTextsGoOutAsALogitBiasOnTheServersOwnFirstTokenIds() throws Throwable {
        try (var server = new FakeOpenAiServer()) {
            server.on("/tokenize", request -> ok(Map.of("tokens", switch (request.body().get("prompt").asText()) {
                case "yes" -> List.of(9891);
                case " yes" -> List.of(3763);
                case "no" -> List.of(2201, 7);
                default -> List.of(645);
            })));
            server.script("/v1/completions", ok(completions(List.of(FakeOpenAiServer.textChoice(0, "yes")), 5, 1)));
            try (var model = TestModels.model(server, "vllm", c -> c)) {
                var favoured = new GenerationRequest("Q?", 1, 0.0, 5, List.of(), 0, List.of("yes", " yes", "no", " no"));
                assertEquals("yes", await(model.generate(List.of(favoured))).getFirst().first());
                await(model.generate(List.of(favoured)));
            }
            var body = server.requests("/v1/completions").getFirst().body();
            assertEquals(Map.of("9891", 100, "3763", 100, "2201", 100, "645", 100),
                    new com.fasterxml.jackson.databind.ObjectMapper().convertValue(body.get("logit_bias"), Map.class));
            assertEquals(4, server.requests("/tokenize").size(), "each text tokenized once, then remembered");
            assertEquals("test-model", server.requests("/tokenize").getFirst().body().get("model").asText());
        }
    }

    @Test
    void aServerWithoutATokenizerEndpointHasNoLogitBias() {
        try (var server = new FakeOpenAiServer()) {
            server.on("/v1/completions", request -> ok(completions(List.of(FakeOpenAiServer.textChoice(0, " blue")), 4, 1)));
            try (var model = TestModels.model(server, "plain", c -> c)) {
                assertTrue(!model.probe().logitBias());
                assertTrue(model.capabilityNotes().stream().anyMatch(n -> n.contains("no usable tokenizer endpoint")), model.capabilityNotes().toString());
            }
        }
    }
}
