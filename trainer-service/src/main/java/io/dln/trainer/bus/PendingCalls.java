package io.dln.trainer.bus;

import io.dln.messages.LlmRequest;
import io.dln.messages.LlmResult;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Requests sent and not yet answered, by request id. The first result for an id wins; later ones are duplicates.
 * Per run, it also keeps when the run last made progress (a result came, or it began waiting after it had nothing
 * outstanding), so a run whose calls go unanswered can be told from one that is merely busy.
 */
final class PendingCalls {

    record Pending(LlmRequest request, CompletableFuture<LlmResult> future, long sentAtNanos) {
    }

    /** Outstanding calls of one run, and when it last made progress. */
    private static final class RunProgress {
        final AtomicInteger outstanding = new AtomicInteger();
        volatile long lastProgressNanos;
    }

    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final Map<String, RunProgress> runs = new ConcurrentHashMap<>();

    CompletableFuture<LlmResult> register(LlmRequest request) {
        return register(request, System.nanoTime());
    }

    CompletableFuture<LlmResult> register(LlmRequest request, long nowNanos) {
        boolean[] added = {false};
        Pending entry = pending.computeIfAbsent(request.requestId(), id -> {
            added[0] = true;
            return new Pending(request, new CompletableFuture<>(), nowNanos);
        });
        if (added[0]) {
            RunProgress run = runs.computeIfAbsent(request.runId(), id -> new RunProgress());
            synchronized (run) {
                if (run.outstanding.getAndIncrement() == 0) run.lastProgressNanos = nowNanos; // it starts waiting now
            }
        }
        return entry.future();
    }

    /** Completes the call; false when nobody waits for it (a duplicate or a stale result). */
    boolean complete(LlmResult result) {
        return complete(result, System.nanoTime());
    }

    boolean complete(LlmResult result, long nowNanos) {
        Pending entry = pending.remove(result.requestId());
        if (entry == null) return false;
        settled(entry, nowNanos, true);
        entry.future().complete(result);
        return true;
    }

    Iterable<Pending> all() {
        return pending.values();
    }

    void resent(Pending entry, LlmRequest request) {
        pending.replace(request.requestId(), entry, new Pending(request, entry.future(), System.nanoTime()));
    }

    void fail(String requestId, Throwable error) {
        Pending entry = pending.remove(requestId);
        if (entry == null) return;
        settled(entry, System.nanoTime(), false);
        entry.future().completeExceptionally(error);
    }

    void failRun(String runId, Throwable error) {
        pending.values().stream().filter(p -> p.request().runId().equals(runId)).toList()
                .forEach(p -> fail(p.request().requestId(), error));
    }

    /** Forgets a run that is no longer trained here. */
    void forgetRun(String runId) {
        failRun(runId, new IllegalStateException("run " + runId + " is no longer trained here"));
        runs.remove(runId);
    }

    /** Runs with calls outstanding that have made no progress for {@code boundNanos} or longer. */
    Set<String> stalledRuns(long nowNanos, long boundNanos) {
        Set<String> stalled = new TreeSet<>();
        runs.forEach((runId, run) -> {
            if (run.outstanding.get() > 0 && nowNanos - run.lastProgressNanos >= boundNanos) stalled.add(runId);
        });
        return stalled;
    }

    int size() {
        return pending.size();
    }

    private void settled(Pending entry, long nowNanos, boolean answered) {
        RunProgress run = runs.get(entry.request().runId());
        if (run == null) return;
        synchronized (run) {
            run.outstanding.decrementAndGet();
            if (answered) run.lastProgressNanos = nowNanos;
        }
    }
}
