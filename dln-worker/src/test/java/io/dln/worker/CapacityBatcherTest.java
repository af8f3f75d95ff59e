package io.dln.worker;

import io.dln.worker.batch.CapacityBatcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CapacityBatcherTest {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final List<List<Integer>> calls = new CopyOnWriteArrayList<>();
    private final Map<List<Integer>, CompletableFuture<List<String>>> open = new ConcurrentHashMap<>();

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    private CompletableFuture<List<String>> echo(List<Integer> items) {
        calls.add(items);
        return CompletableFuture.completedFuture(answers(items));
    }

    /** A backend that answers only when the test says so. */
    private CompletableFuture<List<String>> held(List<Integer> items) {
        calls.add(items);
        return open.computeIfAbsent(items, i -> new CompletableFuture<>());
    }

    private static List<String> answers(List<Integer> items) {
        return items.stream().map(i -> "answer " + i).toList();
    }

    @Test
    void aFullBatchGoesAtOnceAndTheRestAfterTheWindow() {
        var batcher = new CapacityBatcher<Integer, String>(this::echo, 4, 256, i -> 1, Duration.ofMillis(50), timer, size -> { });
        List<CompletableFuture<String>> answers = IntStream.range(0, 6).mapToObj(batcher::submit).toList();
        assertEquals(List.of(List.of(0, 1, 2, 3)), calls); // the full one, before any window passed
        for (int i = 0; i < 6; i++) assertEquals("answer " + i, answers.get(i).join());
        assertEquals(List.of(List.of(0, 1, 2, 3), List.of(4, 5)), calls);
    }

    @Test
    void aBatchTakesNoMoreThanTheFreeCapacityAndTheRestWaitsHereForRoom() {
        var batcher = new CapacityBatcher<Integer, String>(this::held, 4, 6, i -> 1, Duration.ofSeconds(10), timer, size -> { });
        List<CompletableFuture<String>> answers = IntStream.range(0, 10).mapToObj(batcher::submit).toList();
        // 4 fill a call, 2 more fit the room of 6 and go without waiting for the window; 4 wait for room
        assertEquals(List.of(List.of(0, 1, 2, 3), List.of(4, 5)), calls);
        assertEquals(6, batcher.inFlight());
        assertEquals(4, batcher.waiting());
        open.get(List.of(0, 1, 2, 3)).complete(answers(List.of(0, 1, 2, 3)));
        // the room freed by the answers goes to one batch as large as the room
        assertEquals(List.of(List.of(0, 1, 2, 3), List.of(4, 5), List.of(6, 7, 8, 9)), calls);
        assertEquals("answer 3", answers.get(3).join());
        assertFalse(answers.get(6).isDone());
        open.get(List.of(4, 5)).complete(answers(List.of(4, 5)));
        open.get(List.of(6, 7, 8, 9)).complete(answers(List.of(6, 7, 8, 9)));
        assertEquals("answer 9", answers.get(9).join());
        assertEquals(0, batcher.inFlight());
    }

    @Test
    void anItemTakesTheSequencesItAsksFor() {
        // generations of 3 samples each: 2 fit a capacity of 7
        var batcher = new CapacityBatcher<Integer, String>(this::held, 16, 7, i -> 3, Duration.ofSeconds(10), timer, size -> { });
        IntStream.range(0, 5).forEach(batcher::submit);
        assertEquals(List.of(List.of(0, 1)), calls);
        open.get(List.of(0, 1)).complete(answers(List.of(0, 1)));
        assertEquals(List.of(List.of(0, 1), List.of(2, 3)), calls);
    }

    @Test
    void aFailedBatchIsRetriedPromptByPromptSoOnlyWhatFailsAgainFails() {
        var batcher = new CapacityBatcher<Integer, String>(items -> {
            calls.add(items);
            return items.contains(2) ? CompletableFuture.failedFuture(new IllegalStateException("HTTP 400 for prompt 2"))
                    : CompletableFuture.completedFuture(answers(items));
        }, 3, 256, i -> 1, Duration.ofSeconds(10), timer, size -> { });
        var answers = IntStream.of(1, 2, 3).mapToObj(batcher::submit).toList();
        assertEquals("answer 1", answers.get(0).join());
        assertThrows(Exception.class, answers.get(1)::join);
        assertEquals("answer 3", answers.get(2).join());
        assertEquals(List.of(List.of(1, 2, 3), List.of(1), List.of(2), List.of(3)), calls);
        assertEquals(0, batcher.inFlight());
    }

    @Test
    void aSingleFailedCallFailsItsItem() {
        var batcher = new CapacityBatcher<Integer, String>(items -> CompletableFuture.failedFuture(new IllegalStateException("503")),
                8, 256, i -> 1, Duration.ofMillis(5), timer, size -> { });
        var a = batcher.submit(1);
        assertThrows(Exception.class, a::join);
    }
}
