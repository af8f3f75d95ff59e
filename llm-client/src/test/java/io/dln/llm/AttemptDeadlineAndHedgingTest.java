package io.dln.llm;

import io.dln.core.lm.GenerationRequest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static io.dln.llm.FakeOpenAiServer.completions;
import static io.dln.llm.FakeOpenAiServer.ok;
import static io.dln.llm.FakeOpenAiServer.textChoice;
import static io.dln.llm.TestModels.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A hung attempt is hedged or cut at a deadline learnt from the backend's recent latencies, and costs tokens once. */
class AttemptDeadlineAndHedgingTest {

    private static final List<GenerationRequest> ONE = List.of(GenerationRequest.greedy("hi", 4, List.of()));
    private static final int WARM_UP = 25;

    /** Answers "hello" at once, except request number {@code hangAt} (1-based), which answers "late" after a minute. */
    private static FakeOpenAiServer serverHangingAt(int hangAt) {
        FakeOpenAiServer server = new FakeOpenAiServer();
        AtomicInteger seen = new AtomicInteger();
        server.on("/v1/completions", request -> seen.incrementAndGet() == hangAt
                ? ok(completions(List.of(textChoice(0, "late")), 1, 1)).after(Duration.ofMinutes(1))
                : ok(completions(List.of(textChoice(0, "hello")), 1, 1)));
        return server;
    }

    @Test
    void aHungAttemptIsHedgedAndTheFirstAnswerWinsWithItsTokensCountedOnce() throws Throwable {
        try (var server = serverHangingAt(WARM_UP + 1)) {
            List<Duration> hedgePoints = new CopyOnWriteArrayList<>();
            var listener = new LlmCallListener() {
                @Override
                public void onHedge(String backend, LlmOperation operation, Duration after) {
                    hedgePoints.add(after);
                }
            };
            var config = TestModels.config(server, "hedged").withTimeout(Duration.ofSeconds(50));
            try (var model = OpenAiCompatibleModel.builder(config).retryPolicy(RetryPolicy.quick()).listener(listener)
                    .attemptTiming(AttemptTiming.DEFAULT).build()) {
                for (int i = 0; i < WARM_UP; i++) assertEquals("hello", await(model.generate(ONE)).getFirst().first());
                assertEquals(List.of(), hedgePoints, "no hedge while the server answers at its usual pace");

                assertEquals("hello", await(model.generate(ONE)).getFirst().first(), "the hedge's answer, not the hung one's");

                assertEquals(1, hedgePoints.size());
                assertTrue(hedgePoints.getFirst().compareTo(AttemptTiming.DEFAULT.hedgeFloor()) >= 0, "hedge point " + hedgePoints);
                assertEquals(1, model.counters().hedges());
                // 26 calls, each of 1 + 1 tokens: the hung attempt's tokens are not counted, nor is it a retry
                assertEquals(new CallCounters.Counts(WARM_UP + 1, 0, 0, WARM_UP + 1, WARM_UP + 1),
                        model.counters().get(LlmOperation.GENERATE));
            }
            assertEquals(WARM_UP + 2, server.requests().size(), "the hung request and its hedge");
        }
    }

    @Test
    void withoutHedgingAHungAttemptEndsAtTheLearntDeadlineAndIsRetried() throws Throwable {
        try (var server = serverHangingAt(WARM_UP + 1)) {
            List<LlmBackendException> causes = new CopyOnWriteArrayList<>();
            var listener = new LlmCallListener() {
                @Override
                public void onRetry(String backend, LlmOperation operation, int attempt, Duration delay, LlmBackendException cause) {
                    causes.add(cause);
                }
            };
            var timing = new AttemptTiming(20, 0.99, 3.0, Duration.ofMillis(300), false, 0.95, 1.5, Duration.ofMillis(50));
            var config = TestModels.config(server, "deadline").withTimeout(Duration.ofSeconds(50));
            try (var model = OpenAiCompatibleModel.builder(config).retryPolicy(RetryPolicy.quick()).listener(listener)
                    .attemptTiming(timing).build()) {
                for (int i = 0; i < WARM_UP; i++) await(model.generate(ONE));

                assertEquals("hello", await(model.generate(ONE)).getFirst().first());

                assertEquals(1, causes.size(), "one retry: " + causes);
                assertEquals(LlmBackendException.Failure.TIMEOUT, causes.getFirst().failure());
                assertTrue(causes.getFirst().getMessage().contains("attempt deadline"), causes.getFirst().getMessage());
                assertEquals(0, model.counters().hedges());
            }
        }
    }

    @Test
    void aCallSentBeforeAnyLatencyWasKnownIsHedgedOnceLatenciesAre() throws Throwable {
        try (var server = serverHangingAt(1)) {
            var config = TestModels.config(server, "cold").withTimeout(Duration.ofSeconds(50));
            try (var model = OpenAiCompatibleModel.builder(config).retryPolicy(RetryPolicy.quick())
                    .attemptTiming(AttemptTiming.DEFAULT).build()) {
                var first = model.generate(ONE); // hangs, sent with no hedge point known
                while (server.requests().isEmpty()) Thread.sleep(5);
                for (int i = 0; i < WARM_UP; i++) assertEquals("hello", await(model.generate(ONE)).getFirst().first());

                assertEquals("hello", await(first).getFirst().first(), "the hedge's answer, not the hung one's");
                assertEquals(1, model.counters().hedges());
                assertEquals(0, model.counters().get(LlmOperation.GENERATE).retries(), "no timeout, no retry");
            }
        }
    }

    @Test
    void aHedgeRefusedWhileTheFirstAttemptHangsIsSentAgainRatherThanWaitingForTheDeadline() throws Throwable {
        try (var server = new FakeOpenAiServer()) {
            AtomicInteger seen = new AtomicInteger();
            server.on("/v1/completions", request -> switch (seen.incrementAndGet()) {
                case WARM_UP + 1 -> ok(completions(List.of(textChoice(0, "late")), 1, 1)).after(Duration.ofMinutes(1));
                case WARM_UP + 2 -> FakeOpenAiServer.json(500, FakeOpenAiServer.error("engine hiccup"));
                default -> ok(completions(List.of(textChoice(0, "hello")), 1, 1));
            });
            var config = TestModels.config(server, "rehedged").withTimeout(Duration.ofSeconds(50));
            try (var model = OpenAiCompatibleModel.builder(config).retryPolicy(RetryPolicy.quick())
                    .attemptTiming(AttemptTiming.DEFAULT).build()) {
                for (int i = 0; i < WARM_UP; i++) await(model.generate(ONE));

                assertEquals("hello", await(model.generate(ONE)).getFirst().first(), "the second hedge's answer");
                assertEquals(2, model.counters().hedges());
                assertEquals(0, model.counters().get(LlmOperation.GENERATE).retries(), "the hung attempt did not time out");
            }
            assertEquals(WARM_UP + 3, server.requests().size());
        }
    }

    @Test
    void aLoneServerErrorOfAHealthyBackendIsSentAgainAtOnceAndRepeatedOnesBackOff() throws Throwable {
        try (var server = new FakeOpenAiServer()) {
            AtomicInteger seen = new AtomicInteger();
            server.on("/v1/completions", request -> switch (seen.incrementAndGet()) {
                case WARM_UP + 1, WARM_UP + 3, WARM_UP + 4 -> FakeOpenAiServer.json(500, FakeOpenAiServer.error("engine hiccup"));
                default -> ok(completions(List.of(textChoice(0, "hello")), 1, 1));
            });
            List<Duration> delays = new CopyOnWriteArrayList<>();
            var listener = new LlmCallListener() {
                @Override
                public void onRetry(String backend, LlmOperation operation, int attempt, Duration delay, LlmBackendException cause) {
                    delays.add(delay);
                }
            };
            var config = TestModels.config(server, "healthy");
            try (var model = OpenAiCompatibleModel.builder(config).retryPolicy(RetryPolicy.DEFAULT).listener(listener).build()) {
                for (int i = 0; i < WARM_UP; i++) await(model.generate(ONE));

                assertEquals("hello", await(model.generate(ONE)).getFirst().first());
                assertEquals(List.of(Duration.ZERO), delays, "a lone 500 of a healthy backend is re-sent at once");

                delays.clear();
                assertEquals("hello", await(model.generate(ONE)).getFirst().first());
                assertEquals(2, delays.size());
                assertEquals(Duration.ZERO, delays.get(0));
                assertTrue(delays.get(1).compareTo(Duration.ZERO) > 0, "the same request failing again backs off: " + delays);
            }
        }
        try (var server = new FakeOpenAiServer()) {
            server.script("/v1/completions", FakeOpenAiServer.json(500, FakeOpenAiServer.error("engine down")),
                    ok(completions(List.of(textChoice(0, "hello")), 1, 1)));
            List<Duration> delays = new CopyOnWriteArrayList<>();
            var listener = new LlmCallListener() {
                @Override
                public void onRetry(String backend, LlmOperation operation, int attempt, Duration delay, LlmBackendException cause) {
                    delays.add(delay);
                }
            };
            try (var model = OpenAiCompatibleModel.builder(TestModels.config(server, "unknown")).listener(listener).build()) {
                assertEquals("hello", await(model.generate(ONE)).getFirst().first());
                assertTrue(delays.getFirst().compareTo(Duration.ZERO) > 0, "nothing known of the backend yet: back off " + delays);
            }
        }
    }

    @Test
    void untilEnoughLatenciesAreKnownOnlyTheBackendTimeoutApplies() {
        var windows = new LatencyWindows(AttemptTiming.DEFAULT, Duration.ofSeconds(60));
        String kind = LatencyWindows.kind(LlmOperation.GENERATE, 100);
        int needed = AttemptTiming.DEFAULT.minSamples();
        for (int i = 0; i < needed - 1; i++) windows.record(kind, Duration.ofMillis(100).toNanos());
        assertEquals(new LatencyWindows.Limits(Duration.ofSeconds(60), Optional.empty()), windows.limits(kind));

        for (int i = needed - 1; i < 19; i++) windows.record(kind, Duration.ofMillis(100).toNanos());
        windows.record(kind, Duration.ofMillis(1000).toNanos());
        LatencyWindows.Limits known = windows.limits(kind);
        assertEquals(Duration.ofSeconds(3), known.deadline(), "3 x the 99th percentile of 20 (1 s)");
        assertEquals(Optional.of(Duration.ofMillis(150)), known.hedgeAfter(), "1.5 x the 95th percentile (100 ms)");
        assertEquals(new LatencyWindows.Limits(Duration.ofSeconds(6), Optional.of(Duration.ofMillis(150))),
                known.widened(1, Duration.ofSeconds(60)), "a retry after a timeout waits twice as long");
        assertEquals(Duration.ofSeconds(60), known.widened(10, Duration.ofSeconds(60)).deadline(), "at most the timeout");

        assertEquals(new LatencyWindows.Limits(Duration.ofSeconds(60), Optional.of(Duration.ofMillis(150))),
                windows.limits(LatencyWindows.kind(LlmOperation.GENERATE, 5000)),
                "another size of call is hedged by what the operation's calls took, with no deadline before its own are known");
        assertEquals(new LatencyWindows.Limits(Duration.ofSeconds(60), Optional.of(Duration.ofMillis(150))),
                windows.limits(LatencyWindows.kind(LlmOperation.LOG_PROBABILITY, 100)), "another operation, by all calls");
        var fixed = new LatencyWindows(AttemptTiming.FIXED_TIMEOUT, Duration.ofSeconds(60));
        for (int i = 0; i < 100; i++) fixed.record(kind, Duration.ofMillis(100).toNanos());
        assertEquals(new LatencyWindows.Limits(Duration.ofSeconds(60), Optional.empty()), fixed.limits(kind), "FIXED_TIMEOUT");
    }
}
