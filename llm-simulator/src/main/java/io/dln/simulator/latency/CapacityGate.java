package io.dln.simulator.latency;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A fixed number of sequence slots, like the batch of a continuous-batching server: a request takes
 * as many slots as it runs sequences (at most all of them) and waits, first come first served, while
 * they are taken. Nothing blocks: a waiting request holds a future that completes when its slots are
 * granted, on the Vert.x context it came from.
 * <p>
 * Time is kept on a virtual clock: a request granted slots freed by another starts at the moment those
 * slots were due to be free, not when a late timer got round to freeing them. Timer lag on a busy
 * machine therefore does not eat into the simulated server's throughput, which stays capacity / latency.
 */
public final class CapacityGate {

    /** Thrown by {@link #acquire} when the queue is full. */
    public static final class QueueFull extends RuntimeException {
        QueueFull() {
            super("the simulator's queue is full", null, false, false);
        }
    }

    private record Waiter(int slots, long arrived, CompletableFuture<Long> granted, Context context) {
    }

    private final int capacity;
    private final int maxQueue;
    private final ArrayDeque<Waiter> queue = new ArrayDeque<>();
    private int inUse;

    /** {@code capacity} 0 means no limit; {@code maxQueue} 0 means an unbounded queue. */
    public CapacityGate(int capacity, int maxQueue) {
        this.capacity = capacity;
        this.maxQueue = maxQueue;
    }

    public boolean limited() {
        return capacity > 0;
    }

    /** The slots a request of {@code sequences} sequences takes. */
    public int slotsFor(int sequences) {
        return Math.max(1, Math.min(sequences, capacity));
    }

    /** Completes with the virtual start time (System.nanoTime scale) once the slots are granted. */
    public CompletableFuture<Long> acquire(int slots) {
        long now = System.nanoTime();
        synchronized (this) {
            if (queue.isEmpty() && inUse + slots <= capacity) {
                inUse += slots;
                return CompletableFuture.completedFuture(now);
            }
            if (maxQueue > 0 && queue.size() >= maxQueue) throw new QueueFull();
            Waiter w = new Waiter(slots, now, new CompletableFuture<>(), Vertx.currentContext());
            queue.add(w);
            return w.granted();
        }
    }

    /** Frees slots that were due to be free at {@code dueAt} (virtual time). */
    public void release(int slots, long dueAt) {
        List<Waiter> ready = new ArrayList<>();
        synchronized (this) {
            inUse -= slots;
            while (!queue.isEmpty() && inUse + queue.peek().slots() <= capacity) {
                Waiter w = queue.poll();
                inUse += w.slots();
                ready.add(w);
            }
        }
        for (Waiter w : ready) {
            long start = Math.max(dueAt, w.arrived());
            if (w.context() != null) {
                w.context().runOnContext(v -> grant(w, start));
            } else {
                grant(w, start);
            }
        }
    }

    private void grant(Waiter w, long start) {
        // a waiter that gave up (its request was cancelled) hands its slots straight back
        if (!w.granted().complete(start)) release(w.slots(), start);
    }

    public synchronized int inUse() {
        return inUse;
    }

    public synchronized int queued() {
        return queue.size();
    }
}
