package io.dln.llm;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatModel;
import io.dln.core.lm.GenerationRequest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static io.dln.llm.FakeOpenAiServer.chat;
import static io.dln.llm.FakeOpenAiServer.error;
import static io.dln.llm.FakeOpenAiServer.json;
import static io.dln.llm.FakeOpenAiServer.ok;
import static io.dln.llm.TestModels.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Chat through a model that speaks HTTP with a client of its own (in the services, the LangChain4j extension's; here
 * LangChain4j's default client): the backend's retries, attempt deadline and error reading still apply to each call.
 */
class ForeignChatModelTest {

    private static final List<GenerationRequest> ONE = List.of(new GenerationRequest("Say hi", 1, 0.7, 8, List.of(), 5));

    /** LangChain4j's own OpenAI model and HTTP client, as a ChatModelSource is asked to build it; counts the models built. */
    private static ChatModelSource plainLangChain4j(AtomicInteger built) {
        return (config, apiKey) -> {
            built.incrementAndGet();
            return OpenAiChatModel.builder().baseUrl(config.baseUrl()).apiKey(apiKey.orElse(null)).modelName(config.model())
                    .timeout(config.timeout()).maxRetries(0).build();
        };
    }

    private static OpenAiCompatibleModel model(BackendConfig config, AtomicInteger built) {
        return OpenAiCompatibleModel.builder(config.withKind(BackendKind.OPENAI_CHAT).withApiKeyEnv(TestModels.KEY_VARIABLE))
                .environment(Map.of(TestModels.KEY_VARIABLE, TestModels.SECRET)::get)
                .retryPolicy(RetryPolicy.quick()).chatModels(plainLangChain4j(built)).build();
    }

    @Test
    void serverErrorsAreRetriedAndTheModelIsBuiltOnceAtTheFirstChatCall() throws Throwable {
        try (var server = new FakeOpenAiServer()) {
            server.script("/v1/chat/completions", json(503, error("overloaded")), ok(chat("hello", 3, 1, null)));
            AtomicInteger built = new AtomicInteger();
            try (var model = model(TestModels.config(server, "foreign"), built)) {
                assertEquals(0, built.get(), "no model before the first chat call");
                assertEquals("hello", await(model.generate(ONE)).getFirst().first());
                assertEquals(new CallCounters.Counts(1, 1, 0, 3, 1), model.counters().get(LlmOperation.GENERATE));
                assertEquals(1, built.get());
            }
            assertEquals("Bearer " + TestModels.SECRET, server.requests("/v1/chat/completions").getFirst().header("Authorization"));
        }
    }

    @Test
    void aRefusedRequestFailsAtOnceWithTheServersMessageAndNoKey() {
        try (var server = new FakeOpenAiServer()) {
            server.script("/v1/chat/completions", json(400, error("bad key " + TestModels.SECRET + " for max_tokens")));
            try (var model = model(TestModels.config(server, "foreign"), new AtomicInteger())) {
                var e = assertThrows(LlmBackendException.class, () -> await(model.generate(ONE)));
                assertEquals(LlmBackendException.Failure.HTTP_STATUS, e.failure());
                assertEquals(400, e.status());
                assertTrue(e.getMessage().contains("for max_tokens"), e.getMessage());
                assertFalse(e.getMessage().contains(TestModels.SECRET), e.getMessage());
            }
            assertEquals(1, server.requests("/v1/chat/completions").size(), "a 400 is not retried");
        }
    }

    @Test
    void anAttemptPastTheBackendTimeoutIsAbandonedAndRetried() throws Throwable {
        try (var server = new FakeOpenAiServer()) {
            server.script("/v1/chat/completions", ok(chat("late", 1, 1, null)).after(Duration.ofSeconds(3)), ok(chat("in time", 1, 1, null)));
            BackendConfig config = TestModels.config(server, "foreign").withTimeout(Duration.ofMillis(700));
            try (var model = model(config, new AtomicInteger())) {
                assertEquals("in time", await(model.generate(ONE)).getFirst().first());
                assertEquals(1, model.counters().get(LlmOperation.GENERATE).retries());
            }
        }
    }

    @Test
    void aRetryAfterTheClientReadsIsWaitedBeforeTheRetry() throws Throwable {
        try (var server = new FakeOpenAiServer()) {
            server.script("/v1/chat/completions", ok(chat("after the wait", 1, 1, null)));
            Duration told = Duration.ofMillis(400); // longer than any back-off of the quick policy (100 ms at most)
            AtomicInteger calls = new AtomicInteger();
            ChatModelSource refusingFirst = (config, apiKey) -> {
                ChatModel real = plainLangChain4j(new AtomicInteger()).create(config, apiKey);
                return new ChatModel() {
                    @Override
                    public ChatResponse chat(ChatRequest request) {
                        if (calls.getAndIncrement() == 0) throw new RetryAfterHttpException(429, json(429, error("slow down")).body(), told);
                        return real.chat(request);
                    }
                };
            };
            List<Duration> delays = new CopyOnWriteArrayList<>();
            LlmCallListener retries = new LlmCallListener() {
                @Override
                public void onRetry(String backend, LlmOperation operation, int attempt, Duration delay, LlmBackendException cause) {
                    delays.add(delay);
                }
            };
            BackendConfig config = TestModels.config(server, "foreign").withKind(BackendKind.OPENAI_CHAT);
            try (var model = OpenAiCompatibleModel.builder(config).retryPolicy(RetryPolicy.quick()).listener(retries)
                    .chatModels(refusingFirst).build()) {
                assertEquals("after the wait", await(model.generate(ONE)).getFirst().first());
            }
            assertEquals(1, delays.size(), delays::toString);
            assertTrue(delays.getFirst().compareTo(told) >= 0, () -> "waited " + delays + ", the server said " + told);
        }
    }
}
