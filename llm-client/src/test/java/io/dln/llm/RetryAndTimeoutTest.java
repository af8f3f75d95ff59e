package io.dln.llm;

import io.dln.core.lm.GenerationRequest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.dln.llm.FakeOpenAiServer.chat;
import static io.dln.llm.FakeOpenAiServer.completions;
import static io.dln.llm.FakeOpenAiServer.error;
import static io.dln.llm.FakeOpenAiServer.json;
import static io.dln.llm.FakeOpenAiServer.ok;
import static io.dln.llm.FakeOpenAiServer.textChoice;
import static io.dln.llm.TestModels.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetryAndTimeoutTest {

    private static final List<GenerationRequest> ONE = List.of(GenerationRequest.greedy("hi", 4, List.of()));
    private static final FakeOpenAiServer.Reply FINE = ok(completions(List.of(textChoice(0, "hello")), 1, 1));

    @Test
    void rateLimitedCallWaitsForRetryAfterThenSucceeds() throws Throwable {
        try (var server = new FakeOpenAiServer()) {
            server.script("/v1/completions",
                    json(429, error("Rate limit reached, slow down")).withHeader("Retry-After", "1"), FINE);
            List<Duration> delays = new CopyOnWriteArrayList<>();
            var listener = new LlmCallListener() {
                @Override
                public void onRetry(String backend, LlmOperation operation, int attempt, Duration delay, LlmBackendException cause) {
                    delays.add(delay);
                }
            };
            var config = TestModels.config(server, "limited");
            try (var model = OpenAiCompatibleModel.builder(config).retryPolicy(RetryPolicy.quick()).listener(listener).build()) {
                long start = System.nanoTime();
                assertEquals("hello", await(model.generate(ONE)).getFirst().first());
                Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

                assertTrue(elapsed.compareTo(Duration.ofSeconds(1)) >= 0, "waited only " + elapsed);
                assertEquals(List.of(Duration.ofSeconds(1)), delays);
                assertEquals(new CallCounters.Counts(1, 1, 0, 1, 1), model.counters().get(LlmOperation.GENERATE));
            }
            assertEquals(2, server.requests().size());
        }
    }

    @Test
    void serverErrorsAreRetriedWithBackoff() throws Throwable {
        try (var server = new FakeOpenAiServer()) {
            server.script("/v1/completions", json(500, error("engine hiccup")), json(503, "upstream busy"), FINE);
            try (var model = TestModels.model(server, "flaky", c -> c)) {
                assertEquals("hello", await(model.generate(ONE)).getFirst().first());
                assertEquals(2, model.counters().get(LlmOperation.GENERATE).retries());
            }
            assertEquals(3, server.requests().size());
        }
    }

    @Test
    void exhaustedRetriesSurfaceTheLastServerMessage() {
        try (var server = new FakeOpenAiServer()) {
            server.script("/v1/completions", json(502, error("bad gateway")));
            try (var model = TestModels.model(server, "down", c -> c.withMaxRetries(2))) {
                var e = assertThrows(LlmBackendException.class, () -> await(model.generate(ONE)));
                assertEquals(502, e.status());
                assertEquals(3, e.attempts());
                assertTrue(e.getMessage().contains("after 3 attempts"), e.getMessage());
                assertEquals(new CallCounters.Counts(1, 2, 1, 0, 0), model.counters().get(LlmOperation.GENERATE));
            }
            assertEquals(3, server.requests().size());
        }
    }

    @Test
    void clientErrorsAreNotRetriedAndCarryTheServerMessage() {
        try (var server = new FakeOpenAiServer()) {
            server.script("/v1/completions",
                    json(400, error("This model's maximum context length is 4096 tokens")));
            try (var model = TestModels.model(server, "strict", c -> c)) {
                var e = assertThrows(LlmBackendException.class, () -> await(model.generate(ONE)));
                assertEquals(400, e.status());
                assertEquals("strict", e.backend());
                assertEquals(LlmOperation.GENERATE, e.operation());
                assertEquals("This model's maximum context length is 4096 tokens", e.serverMessage());
                assertEquals("backend 'strict' generation: HTTP 400: This model's maximum context length is 4096 tokens",
                        e.getMessage());
                assertFalse(e.retryable());
                assertEquals(1, model.counters().get(LlmOperation.GENERATE).failures());
            }
            assertEquals(1, server.requests().size());
        }
    }

    @Test
    void chatErrorsComeThroughLangChain4jWithTheServerMessageAndAreRetried() throws Throwable {
        try (var server = new FakeOpenAiServer()) {
            server.script("/v1/chat/completions",
                    json(429, error("Too many requests")).withHeader("Retry-After", "0"),
                    ok(chat("fine", 1, 1, null)),
                    json(400, error("Invalid value for 'stop'")));
            var config = TestModels.config(server, "chatty").withKind(BackendKind.OPENAI_CHAT);
            try (var model = TestModels.model(config)) {
                assertEquals("fine", await(model.generate(ONE)).getFirst().first());
                var e = assertThrows(LlmBackendException.class, () -> await(model.generate(ONE)));
                assertEquals(400, e.status());
                assertEquals("Invalid value for 'stop'", e.serverMessage());
                assertEquals(LlmOperation.GENERATE, e.operation());
            }
            assertEquals(3, server.requests().size());
        }
    }

    @Test
    void aHangingResponseTimesOutAndIsRetried() {
        try (var server = new FakeOpenAiServer()) {
            server.script("/v1/completions", FINE.after(Duration.ofSeconds(5)));
            var config = TestModels.config(server, "slow").withTimeout(Duration.ofMillis(300)).withMaxRetries(1);
            try (var model = TestModels.model(config)) {
                long start = System.nanoTime();
                var e = assertThrows(LlmBackendException.class, () -> await(model.generate(ONE)));
                Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
                assertEquals(LlmBackendException.Failure.TIMEOUT, e.failure());
                assertEquals(2, e.attempts());
                assertTrue(e.getMessage().contains("no complete response within 300 ms"), e.getMessage());
                assertTrue(elapsed.compareTo(Duration.ofMillis(600)) >= 0, "elapsed " + elapsed);
                assertTrue(elapsed.compareTo(Duration.ofSeconds(3)) < 0, "elapsed " + elapsed);
            }
            assertEquals(2, server.requests().size());
        }
    }

    @Test
    void anUnreachableServerIsAConnectionFailure() throws Throwable {
        int port;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        var config = BackendConfig.of("gone", "http://127.0.0.1:" + port + "/v1", "m").withMaxRetries(1);
        try (var model = TestModels.model(config)) {
            var e = assertThrows(LlmBackendException.class, () -> await(model.generate(ONE)));
            assertEquals(LlmBackendException.Failure.CONNECTION, e.failure());
            assertEquals(0, e.status());
            assertTrue(e.getMessage().contains("cannot reach POST http://127.0.0.1:" + port + "/v1/completions"), e.getMessage());
            assertEquals(1, model.counters().get(LlmOperation.GENERATE).retries());
        }
    }

    @Test
    void retryAfterIsReadAsSecondsOrAsAnHttpDate() throws IOException {
        Instant now = Instant.parse("2025-01-01T00:00:00Z");
        assertEquals(Duration.ofSeconds(3), ServerErrors.parseRetryAfter("3", now));
        assertEquals(Duration.ofMillis(1500), ServerErrors.parseRetryAfter("1.5", now));
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.ofInstant(now.plusSeconds(7), ZoneOffset.UTC));
        assertEquals(Duration.ofSeconds(7), ServerErrors.parseRetryAfter(date, now));
        assertEquals(Duration.ZERO, ServerErrors.parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", now));
        assertEquals(null, ServerErrors.parseRetryAfter("soon", now));
    }

    @Test
    void backoffGrowsWithJitterAndNeverUndercutsRetryAfter() {
        var policy = new RetryPolicy(Duration.ofMillis(100), 2.0, Duration.ofSeconds(1), Duration.ofSeconds(60));
        for (int i = 0; i < 20; i++) {
            Duration third = policy.delayBeforeRetry(3, null);
            assertTrue(third.toMillis() >= 200 && third.toMillis() <= 400, third.toString());
            assertTrue(policy.delayBeforeRetry(10, null).toMillis() <= 1000);
            assertEquals(Duration.ofSeconds(5), policy.delayBeforeRetry(1, Duration.ofSeconds(5)));
        }
        assertTrue(policy.tooLongToWait(Duration.ofMinutes(5)));
    }
}
