package io.dln.trainer.bus;

import io.dln.messages.LlmRequest;
import io.dln.messages.LlmResult.CallResult;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Calls sent and not yet answered, by call id, each with the message that last carried it. The first result for an
 * id wins; later ones are duplicates. Per run, it also keeps when the run last made progress (a result came, or it
 * began waiting after it had nothing outstanding), so a run whose calls go unanswered can be told from one that is
 * merely busy.
 */
final class PendingCalls {

    record Pending(LlmRequest message, LlmRequest.Call call, CompletableFuture<CallResult> future, long sentAtNanos) {
    }

    /** Outstanding calls of one run, and when it last made progress. */
    private static final class RunProgress {
        final AtomicInteger outstanding = new AtomicInteger();
        volatile long lastProgressNanos;
    }

    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final Map<String, RunProgress> runs = new ConcurrentHashMap<>();

    /** Registers every call of {@code message}; the futures answer them in the message's order. */
    java.util.List<CompletableFuture<CallResult>> register(LlmRequest message) {
        return register(message, System.nanoTime());
    }

    java.util.List<CompletableFuture<CallResult>> register(LlmRequest message, long nowNanos) {
        return message.calls().stream().map(call -> register(message, call, nowNanos)).toList();
    }

    private CompletableFuture<CallResult> register(LlmRequest message, LlmRequest.Call call, long nowNanos) {
        boolean[] added = {false};
        Pending entry = pending.computeIfAbsent(call.id(), id -> {
            added[0] = true;
            return new Pending(message, call, new CompletableFuture<>(), nowNanos);
        });
        if (added[0]) {
            RunProgress run = runs.computeIfAbsent(message.runId(), id -> new RunProgress());
            synchronized (run) {
                if (run.outstanding.getAndIncrement() == 0) run.lastProgressNanos = nowNanos; // it starts waiting now
            }
        }
        return entry.future();
    }

    /** Completes the call; false when nobody waits for it (a duplicate or a stale result). */
    boolean complete(CallResult result) {
        return complete(result, System.nanoTime());
    }

    boolean complete(CallResult result, long nowNanos) {
        Pending entry = pending.remove(result.id());
        if (entry == null) return false;
        settled(entry, nowNanos, true);
        entry.future().complete(result);
        return true;
    }

    Iterable<Pending> all() {
        return pending.values();
    }

    /** The call now travels in {@code message} (a re-send), sent at {@code nowNanos}. */
    void resent(Pending entry, LlmRequest message, long nowNanos) {
        pending.replace(entry.call().id(), entry, new Pending(message, entry.call(), entry.future(), nowNanos));
    }

    void fail(String callId, Throwable error) {
        Pending entry = pending.remove(callId);
        if (entry == null) return;
        settled(entry, System.nanoTime(), false);
        entry.future().completeExceptionally(error);
    }

    void failRun(String runId, Throwable error) {
        pending.values().stream().filter(p -> p.message().runId().equals(runId)).toList()
                .forEach(p -> fail(p.call().id(), error));
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
        RunProgress run = runs.get(entry.message().runId());
        if (run == null) return;
        synchronized (run) {
            run.outstanding.decrementAndGet();
            if (answered) run.lastProgressNanos = nowNanos;
        }
    }
}
