package io.dln.worker.batch;

import io.dln.backends.registry.BackendRegistry;
import io.dln.core.lm.ClassDistributionRequest;
import io.dln.core.lm.GenerationRequest;
import io.dln.core.lm.LogProbabilityRequest;
import io.dln.messages.Operation;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * One {@link CapacityBatcher} per backend and operation, so the calls of every message a worker serves meet in
 * multi-prompt backend calls sized to the backend's free room; a backend's batchers share its room.
 */
public final class BackendBatchers implements AutoCloseable {

    /** Told the size of every backend call made. */
    @FunctionalInterface
    public interface SizeListener {
        void batch(String backend, Operation operation, int size);
    }

    private record Key(String backend, Operation operation) {
    }

    private final BackendRegistry backends;
    private final Duration window;
    private final Optional<Integer> maxBatch;
    private final SizeListener sizes;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("batch-window").daemon().factory());
    private final Map<Key, CapacityBatcher<Object, Object>> batchers = new ConcurrentHashMap<>();
    /** Per backend, the server's room for this worker, shared by that backend's operations. */
    private final Map<String, CapacityBatcher.Room> rooms = new ConcurrentHashMap<>();

    /**
     * @param window   how long a batch that is not full waits for more calls
     * @param maxBatch calls per backend call; unset, the backend's prompts per call (1 when its probe found no list support)
     */
    public BackendBatchers(BackendRegistry backends, Duration window, Optional<Integer> maxBatch, SizeListener sizes) {
        this.backends = backends;
        this.window = window;
        this.maxBatch = maxBatch;
        this.sizes = sizes;
    }

    /** The answer to one call: a Generation, LogProbability or ClassDistribution. */
    public CompletableFuture<Object> submit(String backend, Operation operation, Object payload) {
        return batchers.computeIfAbsent(new Key(backend, operation), this::batcher).submit(payload);
    }

    /** The answers to the calls of one message, in order; they are queued together, so they leave in whole batches. */
    public List<CompletableFuture<Object>> submitAll(String backend, Operation operation, List<?> payloads) {
        if (payloads.isEmpty()) return List.of();
        return batchers.computeIfAbsent(new Key(backend, operation), this::batcher).submitAll(List.copyOf(payloads));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private CapacityBatcher<Object, Object> batcher(Key key) {
        String b = key.backend();
        java.util.function.IntSupplier maxItems = maxBatch.isPresent() ? maxBatch::get : () -> backends.promptsPerCall(b);
        java.util.function.Function<List<Object>, CompletableFuture<List<Object>>> call = switch (key.operation()) {
            case GENERATE -> items -> (CompletableFuture) backends.model(b).generate((List) items);
            case LOG_PROBABILITY -> items -> (CompletableFuture) backends.model(b).logProbability((List) items);
            case CLASS_DISTRIBUTION -> items -> (CompletableFuture) backends.model(b).classDistribution((List) items);
        };
        CapacityBatcher.Room room = rooms.computeIfAbsent(b, name -> new CapacityBatcher.Room(backends.concurrentSequences(name)));
        return new CapacityBatcher<>(call, maxItems, room, BackendBatchers::sequences, window, timer,
                size -> sizes.batch(b, key.operation(), size));
    }

    private static int sequences(Object payload) {
        return switch (payload) {
            case GenerationRequest g -> g.n();
            case LogProbabilityRequest l -> 1;
            case ClassDistributionRequest c -> 1;
            default -> 1;
        };
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
