package io.dln.llm;

import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The cap on a backend's attempts in flight, handing a freed place to the waiting attempt whose call started first: a
 * retry or a hedge of a call that has already waited goes before first attempts of later calls, rather than to the back
 * of the queue. A caller that waits for a batch waits for its slowest call, which is most often one that was retried.
 */
final class OldestCallFirstGate {

    private static final class Waiter {
        final long callStart;
        final long arrival;
        final Condition ready;
        boolean granted;

        Waiter(long callStart, long arrival, Condition ready) {
            this.callStart = callStart;
            this.arrival = arrival;
            this.ready = ready;
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final PriorityQueue<Waiter> waiting = new PriorityQueue<>(
            Comparator.comparingLong((Waiter w) -> w.callStart).thenComparingLong(w -> w.arrival));
    private int free;
    private long arrivals;

    OldestCallFirstGate(int places) {
        this.free = places;
    }

    /** Waits for a place; {@code callStart} is the {@link System#nanoTime()} at which the attempt's call started. */
    void acquire(long callStart) throws InterruptedException {
        lock.lock();
        try {
            if (free > 0 && waiting.isEmpty()) {
                free--;
                return;
            }
            Waiter me = new Waiter(callStart, arrivals++, lock.newCondition());
            waiting.add(me);
            try {
                while (!me.granted) me.ready.await();
            } catch (InterruptedException e) {
                if (me.granted) handOn(); else waiting.remove(me);
                throw e;
            }
        } finally {
            lock.unlock();
        }
    }

    void release() {
        lock.lock();
        try {
            handOn();
        } finally {
            lock.unlock();
        }
    }

    private void handOn() {
        Waiter next = waiting.poll();
        if (next == null) {
            free++;
        } else {
            next.granted = true;
            next.ready.signal();
        }
    }
}
