package io.dln.scorer;

import io.dln.scorer.batch.MicroBatcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MicroBatcherTest {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final List<List<Integer>> calls = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    private CompletableFuture<List<String>> echo(List<Integer> items) {
        calls.add(items);
        return CompletableFuture.completedFuture(items.stream().map(i -> "answer " + i).toList());
    }

    @Test
    void aFullBatchGoesAtOnceAndTheRestAfterTheWindow() {
        var batcher = new MicroBatcher<Integer, String>(this::echo, 4, Duration.ofMillis(50), timer, size -> { });
        List<CompletableFuture<String>> answers = IntStream.range(0, 6).mapToObj(batcher::submit).toList();
        assertEquals(List.of(List.of(0, 1, 2, 3)), calls); // the full one, before any window passed
        for (int i = 0; i < 6; i++) assertEquals("answer " + i, answers.get(i).join());
        assertEquals(List.of(List.of(0, 1, 2, 3), List.of(4, 5)), calls);
    }

    @Test
    void aFailedCallFailsEveryItemOfItsBatch() {
        var batcher = new MicroBatcher<Integer, String>(items -> CompletableFuture.failedFuture(new IllegalStateException("503")),
                8, Duration.ofMillis(5), timer, size -> { });
        var a = batcher.submit(1);
        var b = batcher.submit(2);
        assertThrows(Exception.class, a::join);
        assertThrows(Exception.class, b::join);
    }
}
