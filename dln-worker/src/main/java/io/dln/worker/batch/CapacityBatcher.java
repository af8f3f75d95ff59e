package io.dln.worker.batch;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.IntConsumer;
import java.util.function.IntSupplier;
import java.util.function.ToIntFunction;

/**
 * Gathers the prompts for one backend and operation into multi-prompt calls sized to the backend's free capacity.
 * <p>
 * <b>The rule.</b> A batch is sent only when the backend has room for all of it, and it takes at most that room:
 * {@code size = min(maxItems, capacity - inFlight)} sequences, where {@code capacity} is how many sequences the server
 * runs at once for this worker and {@code inFlight} those this worker has sent and not had back. A server answers a
 * multi-prompt request when its slowest prompt is done; a prompt that finds no free slot queues for a whole latency,
 * and the batch with it. Sized to the free room, no prompt of a batch queues, so a batch waits for its slowest
 * sibling only by the spread of their service times, while it saves one request's overhead per prompt it carries.
 * When the room is used up, prompts wait here, not at the server, and leave as soon as answers free the room, as
 * large a batch as the freed room allows. While calls are in flight, a batch that is not full waits up to
 * {@code window} for siblings to share its call, but only while one more message like the last one to arrive would
 * still fit in it: a message's prompts come together, so siblings come as whole messages, and when the next would not
 * fit, the wait gains no call and delays every prompt of the batch. With nothing in flight a batch goes at once, since
 * the wait would only delay a lone call.
 * More than a call's worth waiting is cut into the fewest calls of even size, all sent at once (room permitting); the
 * calls of one message are queued together ({@link #submitAll}), so a message leaves in whole batches. A failed multi-prompt call is retried prompt by prompt, so only the prompts that fail
 * again fail: one bad prompt does not fail its siblings.
 * <p>
 * <b>Shared room.</b> The batchers of one backend (one per operation) draw on one {@link Room}: the server's room for
 * this worker is its sequences, whatever they do, so log-probabilities and class distributions in flight together
 * hold {@code capacity} sequences between them, not each.
 */
public final class CapacityBatcher<Q, R> {

    /**
     * The sequences a server runs at once for this worker, shared by the batchers drawing on it. Its monitor guards
     * every batcher's queue too, so a batch is cut and its room taken in one step, and a release lets the others go.
     */
    public static final class Room {
        private final int capacity;
        private int inFlight; // sequences sent and not answered; guarded by this
        private final List<CapacityBatcher<?, ?>> members = new java.util.concurrent.CopyOnWriteArrayList<>();

        public Room(int capacity) {
            if (capacity < 1) throw new IllegalArgumentException("the capacity is at least one sequence, was " + capacity);
            this.capacity = capacity;
        }

        /** Sequences sent and not yet answered, by every batcher of this room. */
        public synchronized int inFlight() {
            return inFlight;
        }
    }

    private record Pending<Q, R>(Q item, int weight, CompletableFuture<R> answer) {
    }

    private final Function<List<Q>, CompletableFuture<List<R>>> call;
    private final IntSupplier maxItems;
    private final Room room;
    private final ToIntFunction<Q> sequences;
    private final Duration window;
    private final ScheduledExecutorService timer;
    private final IntConsumer batchSizes;
    private final ArrayDeque<Pending<Q, R>> queue = new ArrayDeque<>(); // guarded by room
    private boolean timerArmed; // guarded by room
    private int lastArrival = 1; // items the last submitAll brought; guarded by room

    /**
     * @param call       one backend call for a list of items, answering them in order
     * @param maxItems   items one call may carry (the backend's prompts per call)
     * @param capacity   sequences the server runs at once for this worker
     * @param sequences  sequences an item occupies (1 for a score, n for a generation of n samples)
     * @param window     how long a batch that is not full waits for more items
     * @param batchSizes told the size of each call made
     */
    public CapacityBatcher(Function<List<Q>, CompletableFuture<List<R>>> call, int maxItems, int capacity,
                           ToIntFunction<Q> sequences, Duration window, ScheduledExecutorService timer, IntConsumer batchSizes) {
        this(call, () -> maxItems, capacity, sequences, window, timer, batchSizes);
        if (maxItems < 1) throw new IllegalArgumentException("a batch holds at least one item, was " + maxItems);
    }

    /** As above, with the items per call read at each batch: a probe may find later that the backend takes one. */
    public CapacityBatcher(Function<List<Q>, CompletableFuture<List<R>>> call, IntSupplier maxItems, int capacity,
                           ToIntFunction<Q> sequences, Duration window, ScheduledExecutorService timer, IntConsumer batchSizes) {
        this(call, maxItems, new Room(capacity), sequences, window, timer, batchSizes);
    }

    /** As above, drawing on {@code room} with the other batchers of the same backend. */
    public CapacityBatcher(Function<List<Q>, CompletableFuture<List<R>>> call, IntSupplier maxItems, Room room,
                           ToIntFunction<Q> sequences, Duration window, ScheduledExecutorService timer, IntConsumer batchSizes) {
        this.call = call;
        this.maxItems = maxItems;
        this.room = room;
        room.members.add(this);
        this.sequences = sequences;
        this.window = window;
        this.timer = timer;
        this.batchSizes = batchSizes;
    }

    public CompletableFuture<R> submit(Q item) {
        return submitAll(List.of(item)).getFirst();
    }

    /**
     * The items of one message, queued together before any batch is cut: a message's calls then leave as whole
     * batches, where one by one the first would leave alone whenever the backend is idle.
     */
    public List<CompletableFuture<R>> submitAll(List<Q> items) {
        List<CompletableFuture<R>> answers = new ArrayList<>(items.size());
        synchronized (room) {
            lastArrival = Math.max(1, items.size());
            for (Q item : items) {
                var pending = new Pending<Q, R>(item, Math.max(1, sequences.applyAsInt(item)), new CompletableFuture<>());
                queue.add(pending);
                answers.add(pending.answer());
            }
        }
        drain(false);
        return answers;
    }

    /** Sequences sent and not yet answered, by this batcher and the others of its room. */
    public int inFlight() {
        return room.inFlight();
    }

    /** Items waiting for room. */
    public int waiting() {
        synchronized (room) {
            return queue.size();
        }
    }

    /** Sends every batch there is room for; a batch smaller than the room waits for the window unless {@code windowOver}. */
    private void drain(boolean windowOver) {
        List<List<Pending<Q, R>>> ready = new ArrayList<>();
        synchronized (room) {
            int capacity = room.capacity;
            int maxItems = Math.max(1, this.maxItems.getAsInt());
            // what waits is cut into the fewest batches of even size, none of them waiting for the window:
            // 18 at 16 a call go as 9 + 9 at once, not as 16 now and 2 after the window
            int pieces = (queue.size() + maxItems - 1) / maxItems;
            int target = pieces <= 1 ? maxItems : (queue.size() + pieces - 1) / pieces;
            while (!queue.isEmpty()) {
                int free = capacity - room.inFlight;
                // an item larger than the whole capacity still goes, alone, once nothing else is in flight
                if (free < queue.peek().weight() && room.inFlight > 0) break;
                List<Pending<Q, R>> batch = new ArrayList<>();
                int weight = 0;
                for (Pending<Q, R> next : queue) {
                    if (batch.size() == target || (!batch.isEmpty() && weight + next.weight() > free)) break;
                    batch.add(next);
                    weight += next.weight();
                }
                boolean full = pieces > 1 || batch.size() == maxItems || batch.size() < queue.size();
                // siblings come as messages do: when one more like the last would not fit, the wait gains nothing and
                // delays every prompt of the batch; with nothing in flight the backend is idle and it would only delay a
                // lone call
                boolean worthWaiting = batch.size() + lastArrival <= maxItems && room.inFlight > 0;
                if (!full && worthWaiting && !windowOver) {
                    if (!timerArmed) {
                        timerArmed = true;
                        timer.schedule(this::windowOver, window.toNanos(), TimeUnit.NANOSECONDS);
                    }
                    break;
                }
                for (int i = 0; i < batch.size(); i++) queue.poll();
                room.inFlight += weight;
                ready.add(batch);
            }
        }
        ready.forEach(this::dispatch);
    }

    private void windowOver() {
        synchronized (room) {
            timerArmed = false;
        }
        drain(true);
    }

    private void dispatch(List<Pending<Q, R>> batch) {
        batchSizes.accept(batch.size());
        invoke(batch.stream().map(Pending::item).toList()).whenComplete((answers, error) -> {
            if (error == null) {
                for (int i = 0; i < batch.size(); i++) batch.get(i).answer().complete(answers.get(i));
                released(batch);
            } else if (batch.size() == 1) {
                batch.getFirst().answer().completeExceptionally(error);
                released(batch);
            } else {
                retryOneByOne(batch);
            }
        });
    }

    /** Each item of a failed batch alone, all at once (they hold the batch's room): only those that fail again fail. */
    private void retryOneByOne(List<Pending<Q, R>> batch) {
        List<CompletableFuture<?>> singles = new ArrayList<>(batch.size());
        for (Pending<Q, R> pending : batch) {
            batchSizes.accept(1);
            singles.add(invoke(List.of(pending.item())).whenComplete((answers, error) -> {
                if (error == null) pending.answer().complete(answers.getFirst());
                else pending.answer().completeExceptionally(error);
            }));
        }
        CompletableFuture.allOf(singles.toArray(CompletableFuture[]::new)).whenComplete((done, error) -> released(batch));
    }

    private CompletableFuture<List<R>> invoke(List<Q> items) {
        try {
            return call.apply(items);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private void released(List<Pending<Q, R>> batch) {
        synchronized (room) {
            room.inFlight -= batch.stream().mapToInt(Pending::weight).sum();
        }
        // what waits for room has waited long enough; the other operations' batchers first, so none starves another
        for (CapacityBatcher<?, ?> other : room.members) {
            if (other != this) other.drain(true);
        }
        drain(true);
    }
}
