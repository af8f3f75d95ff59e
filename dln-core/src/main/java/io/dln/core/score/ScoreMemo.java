package io.dln.core.score;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * Scores already asked for. A scoring request has one answer, and a step asks for some twice (the
 * current prompt is both weighed for the posterior and a candidate of its own update), so a request
 * seen before reuses its answer, or waits for the call already in flight, instead of going out again.
 * Bounded, least recently used first out; a failed call is forgotten so that it can be asked again.
 * The owner clears it at the start of every training iteration, so that an iteration resumed from its
 * checkpoint sends (and pays for) exactly what the uninterrupted one did.
 */
final class ScoreMemo<R, V> {

    private final Map<R, CompletableFuture<V>> entries;

    ScoreMemo(int capacity) {
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<R, CompletableFuture<V>> eldest) {
                return size() > capacity;
            }
        };
    }

    void clear() {
        synchronized (entries) {
            entries.clear();
        }
    }

    /**
     * The answers to {@code requests} in order; only the ones never asked (each once, however often it
     * appears) go to {@code send}, as one batch.
     */
    CompletableFuture<List<V>> answers(List<R> requests, Function<List<R>, CompletableFuture<List<V>>> send) {
        List<CompletableFuture<V>> answers = new ArrayList<>(requests.size());
        List<R> missing = new ArrayList<>();
        List<CompletableFuture<V>> pending = new ArrayList<>();
        synchronized (entries) {
            for (R request : requests) {
                CompletableFuture<V> answer = entries.get(request);
                if (answer == null) {
                    answer = new CompletableFuture<>();
                    entries.put(request, answer);
                    missing.add(request);
                    pending.add(answer);
                }
                answers.add(answer);
            }
        }
        if (!missing.isEmpty()) {
            CompletableFuture<List<V>> sent;
            try {
                sent = send.apply(missing);
            } catch (RuntimeException refused) { // e.g. a capability the backend lacks: the caller sees it as thrown
                forget(missing, pending);
                pending.forEach(answer -> answer.completeExceptionally(refused)); // a concurrent caller may wait on them
                throw refused;
            }
            sent.whenComplete((results, error) -> settle(missing, pending, results, error));
        }
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
                .thenApply(done -> answers.stream().map(CompletableFuture::join).toList());
    }

    private void settle(List<R> requests, List<CompletableFuture<V>> pending, List<V> results, Throwable error) {
        if (error == null) {
            for (int i = 0; i < pending.size(); i++) pending.get(i).complete(results.get(i));
            return;
        }
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        forget(requests, pending);
        pending.forEach(answer -> answer.completeExceptionally(cause));
    }

    private void forget(List<R> requests, List<CompletableFuture<V>> pending) {
        synchronized (entries) {
            for (int i = 0; i < pending.size(); i++) entries.remove(requests.get(i), pending.get(i));
        }
    }
}
