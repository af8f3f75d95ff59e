package io.dln.llm;

import io.dln.core.lm.GenerationRequest;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.dln.llm.FakeOpenAiServer.json;
import static io.dln.llm.TestModels.SECRET;
import static io.dln.llm.TestModels.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiKeySecrecyTest {

    private static final List<GenerationRequest> ONE = List.of(GenerationRequest.greedy("hi", 4, List.of()));

    /** Rejects every call, quoting the Authorization header back the way careless servers do. */
    private static FakeOpenAiServer rejectingServer() {
        var server = new FakeOpenAiServer();
        FakeOpenAiServer.Handler reject = request -> json(401, Map.of("error", Map.of(
                "message", "Incorrect API key provided: " + request.header("Authorization"), "code", "invalid_api_key")));
        server.on("/v1/completions", reject);
        server.on("/v1/chat/completions", reject);
        return server;
    }

    private static String everythingPrinted(Throwable e) {
        StringWriter out = new StringWriter();
        e.printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    @Test
    void theKeyIsSentButNeverShownInErrorsOrListenerEvents() {
        for (BackendKind kind : List.of(BackendKind.VLLM, BackendKind.OPENAI_CHAT)) {
            try (var server = rejectingServer()) {
                List<String> seen = new CopyOnWriteArrayList<>();
                var listener = new LlmCallListener() {
                    @Override
                    public void onFailure(String backend, LlmOperation operation, int attempts, Duration elapsed, LlmBackendException error) {
                        seen.add(everythingPrinted(error));
                    }
                };
                var config = TestModels.config(server, "secret").withKind(kind).withApiKeyEnv(TestModels.KEY_VARIABLE);
                try (var model = OpenAiCompatibleModel.builder(config).environment(Map.of(TestModels.KEY_VARIABLE, SECRET)::get)
                        .listener(listener).retryPolicy(RetryPolicy.quick()).build()) {
                    var e = assertThrows(LlmBackendException.class, () -> await(model.generate(ONE)));

                    assertEquals(401, e.status());
                    assertEquals("Incorrect API key provided: Bearer ***", e.serverMessage());
                    assertFalse(everythingPrinted(e).contains(SECRET), kind + ": " + everythingPrinted(e));
                    assertFalse(model.toString().contains(SECRET));
                    assertFalse(config.toString().contains(SECRET));
                    assertTrue(config.toString().contains(TestModels.KEY_VARIABLE));
                    assertEquals(1, seen.size());
                    assertFalse(seen.getFirst().contains(SECRET));
                }
                assertEquals("Bearer " + SECRET, server.requests().getFirst().header("Authorization"), kind.name());
            }
        }
    }

    @Test
    void anUnsetKeyVariableIsAClearConfigurationError() {
        var config = BackendConfig.of("openai", "https://api.example.com/v1", "gpt").withApiKeyEnv("MISSING_KEY");
        var e = assertThrows(IllegalArgumentException.class,
                () -> OpenAiCompatibleModel.builder(config).environment(name -> null).build());
        assertEquals("backend 'openai': the environment variable MISSING_KEY named by apiKeyEnv is not set", e.getMessage());
    }

    @Test
    void aKeyPastedIntoApiKeyEnvIsRefusedWithoutRepeatingIt() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> BackendConfig.of("openai", "https://api.example.com/v1", "gpt").withApiKeyEnv(SECRET));
        assertFalse(e.getMessage().contains(SECRET));
        assertTrue(e.getMessage().contains("apiKeyEnv must be the name of an environment variable"), e.getMessage());
    }

    @Test
    void theKeyHolderHidesItself() {
        var key = ApiKey.resolve(BackendConfig.of("x", "http://h", "m").withApiKeyEnv("K"), Map.of("K", SECRET)::get);
        assertEquals("ApiKey[***]", key.toString());
        assertEquals("token *** rejected", key.scrub("token " + SECRET + " rejected"));
    }
}
