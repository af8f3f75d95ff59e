package io.dln.simulator.client;

import io.dln.core.lm.Capabilities;
import io.dln.core.lm.ClassDistribution;
import io.dln.core.lm.ClassDistributionRequest;
import io.dln.core.lm.Generation;
import io.dln.core.lm.GenerationRequest;
import io.dln.core.lm.LogProbability;
import io.dln.core.lm.LogProbabilityRequest;
import io.dln.core.lm.OutputClasses;
import io.dln.core.lm.VerbalizerAggregation;
import io.dln.llm.BackendConfig;
import io.dln.llm.CapabilityOverrides;
import io.dln.llm.GenerationApi;
import io.dln.llm.LlmOperation;
import io.dln.llm.MissingCapabilityException;
import io.dln.llm.OpenAiCompatibleModel;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The production client against the simulator on a random port: every operation the algorithm needs. */
@QuarkusTest
class ClientAgainstSimulatorTest {

    private static final String QUESTION = "### Instruction\nAdd up all the numbers first.\n\n### Input\nIs the sum of 12, 7 and 30 even or odd?\n\n### Answer\n";
    private static final OutputClasses PARITY = OutputClasses.of("even|Even", "odd|Odd");

    @TestHTTPResource("/v1")
    URI api;

    private OpenAiCompatibleModel client(BackendConfig config) {
        return OpenAiCompatibleModel.create(config);
    }

    private BackendConfig config() {
        return BackendConfig.of("simulator", api.toString(), "dln-simulator");
    }

    @Test
    void theProbeFindsTheLogitBiasThroughTheTokenizerEndpointAndGenerationFollowsIt() {
        try (OpenAiCompatibleModel model = client(config())) {
            Capabilities found = model.probe();
            assertTrue(found.logitBias(), "token ids from POST /tokenize, then a biased completion: " + found);

            String offTopic = "Tell me about the weather on Mars.";
            String free = model.generate(List.of(GenerationRequest.greedy(offTopic, 5, List.of("\n\n")))).join().getFirst().first();
            List<String> classes = List.of("yes", " yes", "no", " no");
            String biased = model.generate(List.of(new GenerationRequest(offTopic, 1, 0.0, 5, List.of("\n\n"), 0, classes)))
                    .join().getFirst().first();
            assertFalse(List.of("yes", "no").contains(free.strip()), "unbiased, the simulator writes a generic reply: " + free);
            assertTrue(List.of("yes", "no").contains(biased.strip()), "biased to the classes' first tokens: " + biased);
        }
    }

    @Test
    void generatesThroughCompletionsAndThroughLangChain4jChat() {
        try (OpenAiCompatibleModel completions = client(config()); OpenAiCompatibleModel chat = client(config().withGenerationApi(GenerationApi.CHAT))) {
            GenerationRequest greedy = GenerationRequest.greedy(QUESTION, 8, List.of("\n\n"));
            Generation viaCompletions = completions.generate(List.of(greedy)).join().getFirst();
            Generation viaChat = chat.generate(List.of(greedy)).join().getFirst();
            assertTrue(List.of("even", "odd").contains(viaCompletions.first().strip().toLowerCase()), viaCompletions.first());
            assertTrue(viaCompletions.usage().promptTokens() > 0 && viaCompletions.usage().completionTokens() > 0);
            assertFalse(viaChat.first().isBlank());

            GenerationRequest sampled = new GenerationRequest(QUESTION, 3, 1.0, 8, List.of("\n\n"), 7);
            assertEquals(3, completions.generate(List.of(sampled)).join().getFirst().texts().size(), "n samples");
        }
    }

    @Test
    void scoresByEchoAndByFirstTokenClassesConsistently() {
        try (OpenAiCompatibleModel client = client(config())) {
            List<LogProbability> echo = client.logProbability(List.of(
                    new LogProbabilityRequest(QUESTION, "odd"), new LogProbabilityRequest(QUESTION, "even"))).join();
            ClassDistribution classes = client.classDistribution(List.of(
                    new ClassDistributionRequest(QUESTION, PARITY, VerbalizerAggregation.MAX))).join().getFirst();

            assertTrue(echo.getFirst().targetTokens() >= 1);
            int likelierByEcho = echo.getFirst().meanLogProb() > echo.get(1).meanLogProb() ? 1 : 0;
            assertEquals(likelierByEcho, classes.argmax(), "echo " + echo + " and top-k " + classes.probabilities() + " agree");
            assertEquals(1.0, classes.probabilities().stream().mapToDouble(Double::doubleValue).sum(), 1e-9);
        }
    }

    @Test
    void batchesSeveralPromptsIntoOneCallAndKeepsTheirOrder() {
        try (OpenAiCompatibleModel client = client(config().withMaxPromptsPerCall(16))) {
            List<LogProbabilityRequest> requests = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                requests.add(new LogProbabilityRequest("### Input\nIs the sum of " + i + " and 2 even or odd?\n\n### Answer\n", i % 2 == 0 ? "even" : "odd"));
            }
            List<LogProbability> batched = client.logProbability(requests).join();
            assertEquals(2, client.counters().get(LlmOperation.LOG_PROBABILITY).calls(), "20 prompts in 2 HTTP calls of at most 16");

            try (OpenAiCompatibleModel oneByOne = client(config().withMaxPromptsPerCall(1))) {
                List<LogProbability> single = oneByOne.logProbability(requests).join();
                for (int i = 0; i < requests.size(); i++) {
                    assertEquals(single.get(i).meanLogProb(), batched.get(i).meanLogProb(), 1e-12, "prompt " + i + " in order");
                }
            }
        }
    }

    @Test
    void refusesUpFrontWhatTheBackendCannotDo() {
        try (OpenAiCompatibleModel client = client(config().withCapabilityOverrides(new CapabilityOverrides(null, false, null, null)))) {
            Capabilities found = client.probe();
            assertFalse(found.echoLogprobs());
            assertTrue(found.topLogprobs());
            MissingCapabilityException refused = assertThrows(MissingCapabilityException.class,
                    () -> client.requireCapabilities(new Capabilities(true, true, false, 0)));
            assertTrue(refused.getMessage().contains("backend 'simulator' cannot score log-probabilities by echo"), refused.getMessage());
        }
    }
}
