package io.dln.scorer.cache;

import io.dln.scorer.config.ScorerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Score results by content key, least recently used evicted first. Entries are futures, so a repeat that arrives
 * while the first request is still at the backend waits for the same answer instead of asking again. Failures are
 * not kept.
 */
@ApplicationScoped
public class ResultCache {

    /** The answer, and whether it came from the cache (or a call already in flight) rather than a new call. */
    public record Lookup(CompletableFuture<Object> answer, boolean hit) {
    }

    private final int capacity;
    private final Map<String, CompletableFuture<Object>> entries;

    @Inject
    public ResultCache(ScorerConfig config) {
        this(config.cacheSize());
    }

    public ResultCache(int capacity) {
        if (capacity < 0) throw new IllegalArgumentException("dln.scorer.cache-size must not be negative, was " + capacity);
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, CompletableFuture<Object>> eldest) {
                return size() > capacity;
            }
        };
    }

    public Lookup lookup(String key, Supplier<? extends CompletableFuture<?>> compute) {
        CompletableFuture<Object> mine = new CompletableFuture<>();
        if (capacity > 0) {
            synchronized (this) {
                CompletableFuture<Object> known = entries.get(key);
                if (known != null) return new Lookup(known, true);
                entries.put(key, mine);
            }
        }
        try {
            compute.get().whenComplete((value, error) -> {
                if (error == null) {
                    mine.complete(value);
                } else {
                    forget(key, mine);
                    mine.completeExceptionally(error);
                }
            });
        } catch (RuntimeException e) {
            forget(key, mine);
            mine.completeExceptionally(e);
        }
        return new Lookup(mine, false);
    }

    public synchronized int size() {
        return entries.size();
    }

    private synchronized void forget(String key, CompletableFuture<Object> entry) {
        entries.remove(key, entry);
    }
}
