package io.dln.llm;

import io.dln.core.lm.GenerationRequest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import static io.dln.llm.FakeOpenAiServer.completions;
import static io.dln.llm.FakeOpenAiServer.ok;
import static io.dln.llm.FakeOpenAiServer.textChoice;
import static io.dln.llm.TestModels.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LimitsTest {

    private static List<GenerationRequest> distinct(int count) {
        // distinct max_tokens keep the requests out of each other's calls
        return IntStream.range(0, count).mapToObj(i -> GenerationRequest.greedy("p" + i, i + 1, List.of())).toList();
    }

    @Test
    void noMoreCallsInFlightThanConfigured() throws Throwable {
        try (var server = new FakeOpenAiServer()) {
            server.script("/v1/completions", ok(completions(List.of(textChoice(0, "x")), 1, 1)).after(Duration.ofMillis(100)));
            try (var model = TestModels.model(server, "narrow", c -> c.withLimits(2, 0, 0))) {
                assertEquals(6, await(model.generate(distinct(6))).size());
            }
            assertEquals(6, server.requests().size());
            assertEquals(2, server.maxInFlight());
        }
    }

    @Test
    void requestsPerSecondSpacesCallsOut() throws Throwable {
        try (var server = new FakeOpenAiServer()) {
            server.script("/v1/completions", ok(completions(List.of(textChoice(0, "x")), 1, 1)));
            try (var model = TestModels.model(server, "paced", c -> c.withLimits(8, 10, 0))) {
                long start = System.nanoTime();
                await(model.generate(distinct(15)));
                Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
                // a burst of 10, then 5 more at 10/s
                assertTrue(elapsed.toMillis() >= 400, "elapsed " + elapsed);
            }
        }
    }

    @Test
    void tokenBucketReservesInOrderAndTakesCorrections() {
        AtomicLong now = new AtomicLong();
        var bucket = new TokenBucket(100, 10, now::get);
        assertEquals(0, bucket.reserve(100));
        assertEquals(1_000_000_000L, bucket.reserve(10)); // 10 permits at 10/s
        bucket.adjust(-10);                                  // the estimate was 10 too high
        assertEquals(0, bucket.reserve(0));
        now.addAndGet(2_000_000_000L);                       // 20 more permits flow in
        assertEquals(0, bucket.reserve(20));
        bucket.adjust(5);
        assertEquals(500_000_000L, bucket.reserve(0));
    }
}
