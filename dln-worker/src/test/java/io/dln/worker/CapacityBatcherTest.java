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
    void aLoneCallGoesAtOnceAndCallsArrivingWhileOthersAreInFlightWaitTheWindowForSiblings() {
        var batcher = new CapacityBatcher<Integer, String>(this::held, 4, 256, i -> 1, Duration.ofMillis(50), timer, size -> { });
        List<CompletableFuture<String>> answers = IntStream.range(0, 7).mapToObj(batcher::submit).toList();
        // 0 found the backend idle and went alone; 1-4 filled a call; 5 and 6 wait for the window
        assertEquals(List.of(List.of(0), List.of(1, 2, 3, 4)), calls);
        open.get(List.of(0)).complete(answers(List.of(0)));
        open.get(List.of(1, 2, 3, 4)).complete(answers(List.of(1, 2, 3, 4)));
        assertEquals("answer 4", answers.get(4).join());
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (calls.size() < 3 && System.nanoTime() < deadline) Thread.onSpinWait();
        assertEquals(List.of(5, 6), calls.get(2), "after the window, or at once once nothing is in flight");
        open.get(List.of(5, 6)).complete(answers(List.of(5, 6)));
        assertEquals("answer 6", answers.get(6).join());
    }

    @Test
    void aBatchWaitsForSiblingsOnlyWhileAnotherMessageLikeTheLastWouldFitInItsCall() {
        var batcher = new CapacityBatcher<Integer, String>(this::held, 8, 256, i -> 1, Duration.ofHours(1), timer, size -> { });
        batcher.submit(0);
        batcher.submitAll(List.of(1, 2, 3));
        assertEquals(List.of(List.of(0)), calls, "3 of 8 found 0 in flight: another 3 would fit, so they wait for siblings");
        assertEquals(3, batcher.waiting());
        batcher.submitAll(List.of(4, 5, 6));
        assertEquals(List.of(List.of(0), List.of(1, 2, 3, 4, 5, 6)), calls, "6 of 8: another 3 would not fit, so they go at once");
        batcher.submitAll(List.of(7, 8, 9, 10, 11));
        assertEquals(List.of(List.of(0), List.of(1, 2, 3, 4, 5, 6), List.of(7, 8, 9, 10, 11)), calls,
                "a message past half a call goes at once: one more like it would not fit");
        assertEquals(0, batcher.waiting());
    }

    @Test
    void theCallsOfOneMessageLeaveTogetherEvenWhenTheBackendIsIdle() {
        var batcher = new CapacityBatcher<Integer, String>(this::held, 16, 256, i -> 1, Duration.ofHours(1), timer, size -> { });
        List<CompletableFuture<String>> answers = batcher.submitAll(List.of(0, 1, 2, 3, 4));
        assertEquals(List.of(List.of(0, 1, 2, 3, 4)), calls, "one call, not a lone first one and the rest after it");
        open.get(List.of(0, 1, 2, 3, 4)).complete(answers(List.of(0, 1, 2, 3, 4)));
        assertEquals("answer 4", answers.get(4).join());
    }

    @Test
    void moreThanOneCallsWorthIsCutIntoEvenCallsThatAllGoAtOnce() {
        var batcher = new CapacityBatcher<Integer, String>(this::held, 4, 256, i -> 1, Duration.ofHours(1), timer, size -> { });
        batcher.submitAll(List.of(0, 1, 2, 3, 4, 5));
        assertEquals(List.of(List.of(0, 1, 2), List.of(3, 4, 5)), calls, "3 + 3 now, not 4 now and 2 after the window");
        assertEquals(0, batcher.waiting());
    }

    @Test
    void sequentialCallsToAnIdleBackendNeverWaitForTheWindow() {
        var batcher = new CapacityBatcher<Integer, String>(this::echo, 4, 256, i -> 1, Duration.ofHours(1), timer, size -> { });
        for (int i = 0; i < 3; i++) assertEquals("answer " + i, batcher.submit(i).join());
        assertEquals(List.of(List.of(0), List.of(1), List.of(2)), calls);
    }

    @Test
    void aBatchTakesNoMoreThanTheFreeCapacityAndTheRestWaitsHereForRoom() {
        var batcher = new CapacityBatcher<Integer, String>(this::held, 4, 6, i -> 1, Duration.ofSeconds(10), timer, size -> { });
        List<CompletableFuture<String>> answers = IntStream.range(0, 10).mapToObj(batcher::submit).toList();
        // 0 found the backend idle and went alone; 1-4 filled a call; 5 took the last room without waiting for the
        // window; 6-9 wait for room
        assertEquals(List.of(List.of(0), List.of(1, 2, 3, 4), List.of(5)), calls);
        assertEquals(6, batcher.inFlight());
        assertEquals(4, batcher.waiting());
        open.get(List.of(1, 2, 3, 4)).complete(answers(List.of(1, 2, 3, 4)));
        // the room freed by the answers goes to one batch as large as the room
        assertEquals(List.of(List.of(0), List.of(1, 2, 3, 4), List.of(5), List.of(6, 7, 8, 9)), calls);
        assertEquals("answer 3", answers.get(3).join());
        assertFalse(answers.get(6).isDone());
        for (List<Integer> call : List.of(List.of(0), List.of(5), List.of(6, 7, 8, 9))) open.get(call).complete(answers(call));
        assertEquals("answer 9", answers.get(9).join());
        assertEquals(0, batcher.inFlight());
    }

    @Test
    void theBatchersOfOneRoomShareItsSequencesAndAReleaseLetsTheOthersGo() {
        var room = new CapacityBatcher.Room(8);
        var logProbabilities = new CapacityBatcher<Integer, String>(this::held, () -> 16, room, i -> 1, Duration.ofSeconds(10), timer, size -> { });
        var distributions = new CapacityBatcher<Integer, String>(this::held, () -> 16, room, i -> 1, Duration.ofSeconds(10), timer, size -> { });
        logProbabilities.submitAll(List.of(0, 1, 2, 3, 4, 5));
        List<CompletableFuture<String>> waiting = distributions.submitAll(List.of(10, 11, 12, 13));
        // 6 of the room's 8 taken by the first operation: the second gets the 2 left, not 8 of its own
        assertEquals(List.of(List.of(0, 1, 2, 3, 4, 5), List.of(10, 11)), calls);
        assertEquals(8, room.inFlight());
        assertEquals(2, distributions.waiting());
        open.get(List.of(0, 1, 2, 3, 4, 5)).complete(answers(List.of(0, 1, 2, 3, 4, 5)));
        assertEquals(List.of(12, 13), calls.get(2), "the room the first operation freed goes to the other one's waiting calls");
        open.get(List.of(10, 11)).complete(answers(List.of(10, 11)));
        open.get(List.of(12, 13)).complete(answers(List.of(12, 13)));
        assertEquals("answer 13", waiting.get(3).join());
        assertEquals(0, room.inFlight());
    }

    @Test
    void anItemTakesTheSequencesItAsksFor() {
        // generations of 3 samples each, a capacity of 9: one in flight, two more fit the remaining 6
        var batcher = new CapacityBatcher<Integer, String>(this::held, 16, 9, i -> 3, Duration.ofSeconds(10), timer, size -> { });
        IntStream.range(0, 5).forEach(batcher::submit);
        assertEquals(List.of(List.of(0), List.of(1, 2)), calls);
        open.get(List.of(0)).complete(answers(List.of(0)));
        assertEquals(List.of(List.of(0), List.of(1, 2), List.of(3)), calls);
    }

    @Test
    void aFailedBatchIsRetriedPromptByPromptSoOnlyWhatFailsAgainFails() {
        var batcher = new CapacityBatcher<Integer, String>(items -> {
            calls.add(items);
            if (items.contains(0)) return new CompletableFuture<>(); // keeps the backend busy, so 1-3 gather
            return items.contains(2) ? CompletableFuture.failedFuture(new IllegalStateException("HTTP 400 for prompt 2"))
                    : CompletableFuture.completedFuture(answers(items));
        }, 3, 256, i -> 1, Duration.ofSeconds(10), timer, size -> { });
        batcher.submit(0);
        var answers = IntStream.of(1, 2, 3).mapToObj(batcher::submit).toList();
        assertEquals("answer 1", answers.get(0).join());
        assertThrows(Exception.class, answers.get(1)::join);
        assertEquals("answer 3", answers.get(2).join());
        assertEquals(List.of(List.of(0), List.of(1, 2, 3), List.of(1), List.of(2), List.of(3)), calls);
        assertEquals(1, batcher.inFlight(), "only 0 is still at the backend");
    }

    @Test
    void aSingleFailedCallFailsItsItem() {
        var batcher = new CapacityBatcher<Integer, String>(items -> CompletableFuture.failedFuture(new IllegalStateException("503")),
                8, 256, i -> 1, Duration.ofMillis(5), timer, size -> { });
        var a = batcher.submit(1);
        assertThrows(Exception.class, a::join);
    }
}
