package io.dln.llm;

import io.dln.core.lm.ClassDistribution;
import io.dln.core.lm.ClassDistributionRequest;
import io.dln.core.lm.ClassRenormalization;
import io.dln.core.lm.OutputClasses;
import io.dln.core.lm.TokenUsage;
import io.dln.core.lm.VerbalizerAggregation;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.dln.llm.FakeOpenAiServer.chat;
import static io.dln.llm.FakeOpenAiServer.completions;
import static io.dln.llm.FakeOpenAiServer.ok;
import static io.dln.llm.FakeOpenAiServer.topChoice;
import static io.dln.llm.TestModels.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClassDistributionTest {

    private static final OutputClasses YES_NO = OutputClasses.of("yes|Yes", "no|No");
    private static final Map<String, Double> TOP_A = Map.of(" yes", -0.2, " Yes", -2.0, " no", -1.9, " maybe", -4.0);
    private static final Map<String, Double> TOP_B = Map.of(" no", -0.1, " nope", -3.0);

    @Test
    void firstTokenTopKFromCompletionsBecomesClassProbabilities() throws Throwable {
        try (var server = new FakeOpenAiServer()) {
            server.script("/v1/completions", ok(completions(List.of(
                    topChoice(1, " no", TOP_B), topChoice(0, " yes", TOP_A)), 30, 2)));
            try (var model = TestModels.model(server, "vllm", c -> c)) {
                List<ClassDistribution> out = await(model.classDistribution(List.of(
                        new ClassDistributionRequest("Q1 ->", YES_NO, VerbalizerAggregation.SUM),
                        new ClassDistributionRequest("Q2 is longer ->", YES_NO, VerbalizerAggregation.MAX))));

                assertEquals(ClassRenormalization.fromTopLogprobs(TOP_A, YES_NO, VerbalizerAggregation.SUM), out.get(0).probabilities());
                assertEquals(ClassRenormalization.fromTopLogprobs(TOP_B, YES_NO, VerbalizerAggregation.MAX), out.get(1).probabilities());
                assertEquals(0, out.get(0).argmax());
                assertEquals(1, out.get(1).argmax());
                TokenUsage total = out.get(0).usage().plus(out.get(1).usage());
                assertEquals(new TokenUsage(30, 2), total);
                assertEquals(new TokenUsage(1, 1).completionTokens(), out.get(0).usage().completionTokens());
            }
            var calls = server.requests("/v1/completions");
            assertEquals(1, calls.size());
            var body = calls.getFirst().body();
            assertEquals(1, body.get("max_tokens").asInt());
            assertEquals(OpenAiCompatibleModel.DEFAULT_TOP_K, body.get("logprobs").asInt());
            assertEquals(0.0, body.get("temperature").asDouble());
            assertEquals(List.of("Q1 ->", "Q2 is longer ->"), FakeOpenAiServer.prompts(calls.getFirst()));
        }
    }

    @Test
    void kIsCappedByTheConfiguredMaximum() throws Throwable {
        try (var server = new FakeOpenAiServer()) {
            server.script("/v1/completions", ok(completions(List.of(topChoice(0, " yes", TOP_A)), 3, 1)));
            var overrides = new CapabilityOverrides(null, null, true, 7);
            try (var model = TestModels.model(server, "capped", c -> c.withCapabilityOverrides(overrides))) {
                await(model.classDistribution(List.of(new ClassDistributionRequest("Q ->", YES_NO, null))));
            }
            assertEquals(7, server.requests("/v1/completions").getFirst().body().get("logprobs").asInt());
        }
    }

    @Test
    void chatBackendsAskForTopLogprobsThroughLangChain4j() throws Throwable {
        try (var server = new FakeOpenAiServer()) {
            server.script("/v1/chat/completions", ok(chat(" yes", 8, 1, TOP_A)));
            var config = TestModels.config(server, "openai").withKind(BackendKind.OPENAI_CHAT);
            try (var model = TestModels.model(config)) {
                ClassDistribution d = await(model.classDistribution(List.of(
                        new ClassDistributionRequest("Q ->", YES_NO, VerbalizerAggregation.MAX)))).getFirst();
                assertEquals(ClassRenormalization.fromTopLogprobs(TOP_A, YES_NO, VerbalizerAggregation.MAX), d.probabilities());
                assertEquals(new TokenUsage(8, 1), d.usage());
            }
            var body = server.requests("/v1/chat/completions").getFirst().body();
            assertTrue(body.get("logprobs").asBoolean());
            assertEquals(20, body.get("top_logprobs").asInt());
            assertEquals(1, body.get("max_tokens").asInt());
        }
    }
}
