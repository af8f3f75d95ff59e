package io.dln.scorer.batch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.IntConsumer;

/**
 * Collects items submitted within {@code window} of the first one, or until {@code maxItems} are there, and hands
 * them to {@code call} as one list; each submitter gets its own item's answer.
 */
public final class MicroBatcher<Q, R> {

    private record Pending<Q, R>(Q item, CompletableFuture<R> answer) {
    }

    private final Function<List<Q>, CompletableFuture<List<R>>> call;
    private final int maxItems;
    private final Duration window;
    private final ScheduledExecutorService timer;
    private final IntConsumer batchSizes;
    private List<Pending<Q, R>> open; // guarded by this

    public MicroBatcher(Function<List<Q>, CompletableFuture<List<R>>> call, int maxItems, Duration window,
                        ScheduledExecutorService timer, IntConsumer batchSizes) {
        if (maxItems < 1) throw new IllegalArgumentException("a batch holds at least one item, was " + maxItems);
        this.call = call;
        this.maxItems = maxItems;
        this.window = window;
        this.timer = timer;
        this.batchSizes = batchSizes;
    }

    public CompletableFuture<R> submit(Q item) {
        var pending = new Pending<Q, R>(item, new CompletableFuture<>());
        List<Pending<Q, R>> full = null;
        synchronized (this) {
            if (open == null) {
                List<Pending<Q, R>> batch = new ArrayList<>(maxItems);
                open = batch;
                if (maxItems > 1) timer.schedule(() -> flush(batch), window.toNanos(), TimeUnit.NANOSECONDS);
            }
            open.add(pending);
            if (open.size() >= maxItems) {
                full = open;
                open = null;
            }
        }
        if (full != null) dispatch(full);
        return pending.answer();
    }

    private void flush(List<Pending<Q, R>> batch) {
        synchronized (this) {
            if (open != batch) return; // already dispatched because it filled up
            open = null;
        }
        dispatch(batch);
    }

    private void dispatch(List<Pending<Q, R>> batch) {
        batchSizes.accept(batch.size());
        CompletableFuture<List<R>> answers;
        try {
            answers = call.apply(batch.stream().map(Pending::item).toList());
        } catch (RuntimeException e) {
            answers = CompletableFuture.failedFuture(e);
        }
        answers.whenComplete((list, error) -> {
            for (int i = 0; i < batch.size(); i++) {
                if (error != null) {
                    batch.get(i).answer().completeExceptionally(error);
                } else {
                    batch.get(i).answer().complete(list.get(i));
                }
            }
        });
    }
}
