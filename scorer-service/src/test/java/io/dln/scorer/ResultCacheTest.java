package io.dln.scorer;

import io.dln.scorer.cache.ResultCache;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResultCacheTest {

    private final AtomicInteger calls = new AtomicInteger();

    private CompletableFuture<Object> call(Object answer) {
        calls.incrementAndGet();
        return CompletableFuture.completedFuture(answer);
    }

    @Test
    void aRepeatIsAHitAndCostsNoCall() {
        var cache = new ResultCache(10);
        var first = cache.lookup("k", () -> call("a"));
        var again = cache.lookup("k", () -> call("b"));
        assertFalse(first.hit());
        assertTrue(again.hit());
        assertEquals("a", again.answer().join());
        assertEquals(1, calls.get());
    }

    @Test
    void aRepeatWhileTheFirstIsInFlightSharesItsAnswer() {
        var cache = new ResultCache(10);
        var pending = new CompletableFuture<Object>();
        var first = cache.lookup("k", () -> pending);
        var again = cache.lookup("k", () -> call("other"));
        assertTrue(again.hit());
        pending.complete("shared");
        assertEquals("shared", first.answer().join());
        assertEquals("shared", again.answer().join());
        assertEquals(0, calls.get());
    }

    @Test
    void evictsTheLeastRecentlyUsed() {
        var cache = new ResultCache(2);
        cache.lookup("a", () -> call(1));
        cache.lookup("b", () -> call(2));
        cache.lookup("a", () -> call(1));  // a is now more recent than b
        cache.lookup("c", () -> call(3));  // evicts b
        assertEquals(2, cache.size());
        assertTrue(cache.lookup("a", () -> call(1)).hit());
        assertFalse(cache.lookup("b", () -> call(2)).hit());
    }

    @Test
    void failuresAreNotKept() {
        var cache = new ResultCache(10);
        var failed = cache.lookup("k", () -> CompletableFuture.failedFuture(new IllegalStateException("down")));
        assertTrue(failed.answer().isCompletedExceptionally());
        var retry = cache.lookup("k", () -> call("ok"));
        assertFalse(retry.hit());
        assertEquals("ok", retry.answer().join());
    }

    @Test
    void sizeZeroTurnsItOff() {
        var cache = new ResultCache(0);
        var first = cache.lookup("k", () -> call("a"));
        var again = cache.lookup("k", () -> call("a"));
        assertFalse(again.hit());
        assertSame(0, cache.size());
        assertEquals("a", first.answer().join());
        assertEquals(2, calls.get());
    }
}
