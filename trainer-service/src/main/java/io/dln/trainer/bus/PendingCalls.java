package io.dln.trainer.bus;

import io.dln.messages.LlmRequest;
import io.dln.messages.LlmResult;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** Requests sent and not yet answered, by request id. The first result for an id wins; later ones are duplicates. */
final class PendingCalls {

    record Pending(LlmRequest request, CompletableFuture<LlmResult> future, long sentAtNanos) {
    }

    private final Map<String, Pending> pending = new ConcurrentHashMap<>();

    CompletableFuture<LlmResult> register(LlmRequest request) {
        Pending entry = pending.computeIfAbsent(request.requestId(),
                id -> new Pending(request, new CompletableFuture<>(), System.nanoTime()));
        return entry.future();
    }

    /** Completes the call; false when nobody waits for it (a duplicate or a stale result). */
    boolean complete(LlmResult result) {
        Pending entry = pending.remove(result.requestId());
        if (entry == null) return false;
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
        if (entry != null) entry.future().completeExceptionally(error);
    }

    void failRun(String runId, Throwable error) {
        pending.values().stream().filter(p -> p.request().runId().equals(runId)).toList()
                .forEach(p -> fail(p.request().requestId(), error));
    }

    int size() {
        return pending.size();
    }
}
