package io.dln.llm;

import io.dln.core.lm.Capabilities;
import io.dln.core.lm.LogProbabilityRequest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.dln.llm.FakeOpenAiServer.chat;
import static io.dln.llm.FakeOpenAiServer.completions;
import static io.dln.llm.FakeOpenAiServer.echoChoice;
import static io.dln.llm.FakeOpenAiServer.error;
import static io.dln.llm.FakeOpenAiServer.json;
import static io.dln.llm.FakeOpenAiServer.ok;
import static io.dln.llm.FakeOpenAiServer.topChoice;
import static io.dln.llm.TestModels.await;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CapabilityProbeTest {

    private static final Capabilities NEEDS_ECHO = new Capabilities(true, true, false, 0);
    private static final Capabilities NEEDS_TOP_K = new Capabilities(true, false, true, 0);
    private static final Map<String, Double> TOP = Map.of(" blue", -0.1, " grey", -2.5);

    /** A server that does top-k up to {@code maxK} and refuses echo, like many hosted completions APIs. */
    private static FakeOpenAiServer refusingEcho(int maxK) {
        var server = new FakeOpenAiServer();
        server.on("/v1/completions", request -> {
            if (request.body().path("echo").asBoolean()) {
                return json(400, error("echo is not supported together with max_tokens=0"));
            }
            int k = request.body().path("logprobs").asInt();
            if (k > maxK) return json(400, error("logprobs must be at most " + maxK));
            return ok(completions(List.of(topChoice(0, " blue", TOP)), 4, 1));
        });
        return server;
    }

    private static FakeOpenAiServer fullyCapable() {
        var server = new FakeOpenAiServer();
        server.on("/v1/completions", request -> request.body().path("echo").asBoolean()
                ? ok(completions(List.of(echoChoice(0, List.of("The", " sky", " is", " blue"),
                        java.util.Arrays.asList(null, -3.0, -1.0, -0.5), List.of(0, 3, 7, 10))), 4, 0))
                : ok(completions(List.of(topChoice(0, " blue", TOP)), 4, 1)));
        return server;
    }

    @Test
    void refusedEchoIsReportedWithTheServersReasonAndAWayOut() {
        try (var server = refusingEcho(20); var model = TestModels.model(server, "hosted", c -> c)) {
            Capabilities found = model.probe();
            assertEquals(new Capabilities(true, false, true, 20), found);

            var e = assertThrows(MissingCapabilityException.class, () -> model.requireCapabilities(NEEDS_ECHO));
            assertEquals("backend 'hosted' cannot score log-probabilities by echo: the server refused echo with "
                    + "max_tokens 0 (HTTP 400: echo is not supported together with max_tokens=0); set output scoring "
                    + "to accuracy or use a server that supports echo (vLLM)", e.getMessage());
            assertEquals("hosted", e.backend());
            assertDoesNotThrow(() -> model.requireCapabilities(NEEDS_TOP_K));
            assertTrue(model.counters().get(LlmOperation.PROBE).calls() >= 2);
            assertEquals(0, model.counters().get(LlmOperation.GENERATE).calls());
        }
    }

    @Test
    void aServerThatRefusesAListOfPromptsGetsOnePromptPerCall() {
        try (var server = new FakeOpenAiServer()) {
            server.on("/v1/completions", request -> request.body().path("prompt").isArray()
                    ? json(400, error("'prompt' must be a string"))
                    : ok(completions(List.of(topChoice(0, " blue", TOP)), 4, 1)));
            try (var model = TestModels.model(server, "single", c -> c)) {
                assertEquals(16, model.promptsPerCall(), "before the probe: the configured maximum");
                model.probe();
                assertEquals(1, model.promptsPerCall());
                assertTrue(model.capabilityNotes().stream().anyMatch(n -> n.startsWith(
                        "one prompt per call: the server refused a list of prompts (HTTP 400")), model.capabilityNotes()::toString);
                assertEquals(0, model.counters().get(LlmOperation.GENERATE).calls(), "the probe's calls are counted as probes");
            }
        }
    }

    @Test
    void theProbeAsksForAsManyAsTheServerAllowsTakingTheLimitItsRefusalNames() {
        for (var limit : List.of(
                Map.entry("Requested sample logprobs of 100, which is greater than max allowed: 37", 37),
                Map.entry("'logprobs' must be between 0 and 64, got 100.", 64),
                Map.entry("Invalid 'top_logprobs': integer above maximum value. Expected a value <= 20", 20))) {
            try (var server = new FakeOpenAiServer()) {
                server.on("/v1/completions", request -> request.body().path("logprobs").asInt() > limit.getValue()
                        ? json(400, error(limit.getKey()))
                        : ok(completions(List.of(topChoice(0, " blue", TOP)), 4, 1)));
                try (var model = TestModels.model(server, "limits", c -> c)) {
                    assertEquals(limit.getValue(), model.probe().maxTopLogprobs(), limit.getKey());
                    assertEquals(limit.getValue(), model.topK());
                    List<Integer> asked = server.requests("/v1/completions").stream()
                            .map(r -> r.body().path("logprobs").asInt()).filter(k -> k > 1).toList();
                    assertEquals(100, asked.getFirst(), "the reference's 100 first");
                }
            }
        }
    }

    @Test
    void aRefusalWithoutItsLimitWalksDownTheLadder() {
        assertEquals(50, CapabilityProbe.nextSmaller(100, "bad request"));
        assertEquals(20, CapabilityProbe.nextSmaller(50, null));
        assertEquals(20, CapabilityProbe.nextSmaller(100, "must be at most 20"));
        assertEquals(5, CapabilityProbe.nextSmaller(10, "at most 30"), "a limit above what was refused is no help");
        assertEquals(0, CapabilityProbe.nextSmaller(1, null));
    }

    @Test
    void theCapabilityNotesSayHowTheTopKFloorShapesClassScores() {
        try (var server = refusingEcho(20); var model = TestModels.model(server, "notes", c -> c)) {
            model.probe();
            List<String> notes = model.capabilityNotes();
            assertTrue(notes.stream().anyMatch(n -> n.startsWith("echo log-probabilities: the server refused echo")), notes.toString());
            assertTrue(notes.stream().anyMatch(n -> n.contains("top 20 first-token log-probabilities")
                    && n.contains("floor exp(min top-20 log-probability), at most 1/20 = 0.0500")), notes.toString());
        }
    }

    @Test
    void topKFallsBackToWhatTheServerAccepts() {
        try (var server = refusingEcho(5); var model = TestModels.model(server, "small-k", c -> c)) {
            assertEquals(5, model.probe().maxTopLogprobs());
            var e = assertThrows(MissingCapabilityException.class,
                    () -> model.requireCapabilities(new Capabilities(true, false, true, 10)));
            assertTrue(e.getMessage().contains("gives at most 5 top log-probabilities but 10 are needed"), e.getMessage());
            assertEquals(5, model.topK());
        }
    }

    @Test
    void aCapableServerPassesEveryRequirement() {
        try (var server = fullyCapable(); var model = TestModels.model(server, "vllm", c -> c)) {
            assertEquals(new Capabilities(true, true, true, 100), model.probe(), "a server that takes any k is asked for 100");
            assertDoesNotThrow(() -> model.requireCapabilities(Capabilities.ALL));
        }
    }

    @Test
    void overridesWinOverTheProbe() {
        var overrides = new CapabilityOverrides(null, true, false, 3);
        try (var server = refusingEcho(20);
             var model = TestModels.model(server, "declared", c -> c.withCapabilityOverrides(overrides))) {
            assertEquals(new Capabilities(true, true, false, 3), model.probe());
            assertDoesNotThrow(() -> model.requireCapabilities(NEEDS_ECHO));
            var e = assertThrows(MissingCapabilityException.class, () -> model.requireCapabilities(NEEDS_TOP_K));
            assertTrue(e.getMessage().contains("cannot give first-token top-k log-probabilities: capabilityOverrides disables it"),
                    e.getMessage());
            // the probe asked for the declared k
            assertEquals(3, server.requests("/v1/completions").stream()
                    .filter(r -> !r.body().path("echo").asBoolean()).findFirst().orElseThrow().body().get("logprobs").asInt());
        }
    }

    @Test
    void beforeTheProbeAnUnknownServerIsNotTrustedWithLogprobs() {
        try (var server = fullyCapable(); var model = TestModels.model(server, "unknown", c -> c)) {
            var e = assertThrows(MissingCapabilityException.class, () -> model.requireCapabilities(Capabilities.ALL));
            assertTrue(e.getMessage().contains("backend 'unknown' cannot score log-probabilities by echo: not probed yet"), e.getMessage());
            assertTrue(e.getMessage().contains("backend 'unknown' cannot give first-token top-k log-probabilities: not probed yet"), e.getMessage());
            assertTrue(server.requests().isEmpty());
        }
    }

    @Test
    void chatOnlyBackendsHaveNoEcho() throws Throwable {
        try (var server = new FakeOpenAiServer()) {
            server.script("/v1/chat/completions", ok(chat(" blue", 5, 1, TOP)));
            var config = TestModels.config(server, "openai").withKind(BackendKind.OPENAI_CHAT);
            try (var model = TestModels.model(config)) {
                assertEquals(new Capabilities(true, false, true, 100), model.probe());
                var e = assertThrows(MissingCapabilityException.class, () -> model.requireCapabilities(NEEDS_ECHO));
                assertTrue(e.getMessage().contains("OPENAI_CHAT has no /v1/completions endpoint"), e.getMessage());
                var call = assertThrows(MissingCapabilityException.class,
                        () -> await(model.logProbability(List.of(new LogProbabilityRequest("a", "b")))));
                assertTrue(call.getMessage().startsWith("backend 'openai' cannot score log-probabilities by echo"));
            }
            assertTrue(server.requests("/v1/completions").isEmpty());
        }
    }

    @Test
    void anUnreachableServerFailsTheProbe() throws Exception {
        int port;
        try (var socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (var model = TestModels.model(BackendConfig.of("gone", "http://127.0.0.1:" + port, "m").withMaxRetries(0))) {
            var e = assertThrows(LlmBackendException.class, model::probe);
            assertEquals(LlmBackendException.Failure.CONNECTION, e.failure());
            assertEquals(LlmOperation.PROBE, e.operation());
        }
    }
}
