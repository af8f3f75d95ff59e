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
        Lookup lookup = reserve(key);
        if (lookup.hit()) return lookup;
        CompletableFuture<?> answer;
        try {
            answer = compute.get();
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        fill(key, lookup.answer(), answer);
        return lookup;
    }

    /**
     * The known answer for {@code key} (a hit), or a new entry (a miss) that the caller must {@link #fill} with the
     * call it makes: repeats that arrive meanwhile wait for that entry.
     */
    public Lookup reserve(String key) {
        CompletableFuture<Object> mine = new CompletableFuture<>();
        if (capacity > 0) {
            synchronized (this) {
                CompletableFuture<Object> known = entries.get(key);
                if (known != null) return new Lookup(known, true);
                entries.put(key, mine);
            }
        }
        return new Lookup(mine, false);
    }

    /** Completes a reserved entry with {@code answer}; a failure is not kept, so the next lookup asks again. */
    public void fill(String key, CompletableFuture<Object> entry, CompletableFuture<?> answer) {
        answer.whenComplete((value, error) -> {
            if (error == null) {
                entry.complete(value);
            } else {
                forget(key, entry);
                entry.completeExceptionally(error);
            }
        });
    }

    public synchronized int size() {
        return entries.size();
    }

    private synchronized void forget(String key, CompletableFuture<Object> entry) {
        entries.remove(key, entry);
    }
}
