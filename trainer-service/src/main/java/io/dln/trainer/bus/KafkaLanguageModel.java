package io.dln.trainer.bus;

import io.dln.core.lm.Capabilities;
import io.dln.core.lm.ClassDistribution;
import io.dln.core.lm.ClassDistributionRequest;
import io.dln.core.lm.Generation;
import io.dln.core.lm.GenerationRequest;
import io.dln.core.lm.LanguageModel;
import io.dln.core.lm.LogProbability;
import io.dln.core.lm.LogProbabilityRequest;
import io.dln.messages.LlmRequest;
import io.dln.messages.LlmResult.CallResult;
import io.dln.messages.Operation;
import io.dln.messages.MessageCodec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * A {@link LanguageModel} whose calls travel over Kafka in batches. Score calls go out as few messages as keep cache
 * affinity: each call belongs to the partition of its content key (repeats meet the same scorer and its cache), and
 * the calls of one partition travel together, up to {@code maxCallsPerMessage} to a message, the messages of a
 * partition of even size. Generations have no cache to be affine to (each carries its own seed), so they go out as the
 * fewest messages of even size, on consecutive partitions from the first call's, so several samplers share a long
 * list. The worker answers each message with one result; the list completes when every call is answered, in request
 * order. How many prompts go to the backend in one HTTP call is the worker's choice, by the backend's free capacity.
 */
public final class KafkaLanguageModel implements LanguageModel {

    private final RequestBus bus;
    private final RunCalls calls;
    private final String backend;
    private final Capabilities capabilities;
    private final Duration timeout;
    private final int maxCallsPerMessage;

    public KafkaLanguageModel(RequestBus bus, RunCalls calls, String backend, Capabilities capabilities, Duration timeout,
                              int maxCallsPerMessage) {
        this.bus = bus;
        this.calls = calls;
        this.backend = backend;
        this.capabilities = capabilities;
        this.timeout = timeout;
        this.maxCallsPerMessage = maxCallsPerMessage;
    }

    @Override
    public CompletableFuture<List<Generation>> generate(List<GenerationRequest> requests) {
        return send(Operation.GENERATE, requests, CallResult::generation);
    }

    @Override
    public CompletableFuture<List<LogProbability>> logProbability(List<LogProbabilityRequest> requests) {
        return send(Operation.LOG_PROBABILITY, requests, CallResult::logProbability);
    }

    @Override
    public CompletableFuture<List<ClassDistribution>> classDistribution(List<ClassDistributionRequest> requests) {
        return send(Operation.CLASS_DISTRIBUTION, requests, CallResult::classDistribution);
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    private <P, R> CompletableFuture<List<R>> send(Operation operation, List<P> payloads, Function<CallResult, R> extract) {
        if (calls.aborted() != null) return CompletableFuture.failedFuture(calls.aborted());
        if (payloads.isEmpty()) return CompletableFuture.completedFuture(List.of());
        int partitions = bus.partitions(operation.topic());
        String[] keys = new String[payloads.size()];
        LlmRequest.Call[] all = new LlmRequest.Call[payloads.size()];
        for (int i = 0; i < payloads.size(); i++) {
            keys[i] = MessageCodec.contentKey(backend, operation, payloads.get(i));
            all[i] = LlmRequest.Call.of(calls.nextRequestId(keys[i]), payloads.get(i));
        }
        Map<Integer, List<List<Integer>>> messages = operation == Operation.GENERATE
                ? spread(keys, partitions) : byContent(keys, partitions);
        @SuppressWarnings("unchecked")
        CompletableFuture<R>[] futures = new CompletableFuture[payloads.size()];
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        messages.forEach((partition, chunks) -> {
            for (List<Integer> chunk : chunks) {
                List<LlmRequest.Call> batch = chunk.stream().map(i -> all[i]).toList();
                String messageId = MessageCodec.sha256("batch|" + batch.getFirst().id() + '|' + batch.size());
                LlmRequest message = LlmRequest.batch(messageId, calls.runId(), calls.step(), 1, deadline, backend, operation,
                        bus.replyPartition(), batch);
                List<CompletableFuture<CallResult>> answers = bus.send(message, partition, keys[chunk.getFirst()]);
                for (int k = 0; k < chunk.size(); k++) {
                    futures[chunk.get(k)] = answers.get(k).thenApply(result -> {
                        if (!result.ok()) {
                            throw new LlmCallFailedException("backend '" + backend + "' failed " + operation + ": " + result.error());
                        }
                        // what reached the backend: zero for an answer the scorer had cached (the payload keeps what it needed)
                        if (result.usage() != null) calls.sent(result.usage().total());
                        return extract.apply(result);
                    });
                }
            }
        });
        return CompletableFuture.allOf(futures).thenApply(done -> Arrays.stream(futures).map(CompletableFuture::join).toList());
    }

    /** Per partition, the messages of the calls whose content keys belong to it. */
    private Map<Integer, List<List<Integer>>> byContent(String[] keys, int partitions) {
        Map<Integer, List<Integer>> byPartition = new TreeMap<>();
        for (int i = 0; i < keys.length; i++) {
            byPartition.computeIfAbsent(MessageCodec.partitionOf(keys[i], partitions), p -> new ArrayList<>()).add(i);
        }
        Map<Integer, List<List<Integer>>> messages = new TreeMap<>();
        byPartition.forEach((partition, indices) -> messages.put(partition, evenChunks(indices, maxCallsPerMessage)));
        return messages;
    }

    /** The fewest messages of all the calls, one to a partition from the first call's, wrapping around. */
    private Map<Integer, List<List<Integer>>> spread(String[] keys, int partitions) {
        return spread(keys.length, MessageCodec.partitionOf(keys[0], partitions), partitions, maxCallsPerMessage);
    }

    /** Calls {@code 0..calls-1} in the fewest messages of at most {@code max}, on partitions from {@code first} on. */
    static Map<Integer, List<List<Integer>>> spread(int calls, int first, int partitions, int max) {
        List<List<Integer>> chunks = evenChunks(IntStream.range(0, calls).boxed().toList(), max);
        Map<Integer, List<List<Integer>>> messages = new TreeMap<>();
        for (int m = 0; m < chunks.size(); m++) {
            messages.computeIfAbsent((first + m) % partitions, p -> new ArrayList<>()).add(chunks.get(m));
        }
        return messages;
    }

    /** {@code indices} cut into the fewest pieces of at most {@code max}, of sizes that differ by one at most. */
    static List<List<Integer>> evenChunks(List<Integer> indices, int max) {
        int pieces = (indices.size() + max - 1) / max;
        List<List<Integer>> chunks = new ArrayList<>(pieces);
        for (int p = 0, from = 0; p < pieces; p++) {
            int size = (indices.size() - from) / (pieces - p) + ((indices.size() - from) % (pieces - p) == 0 ? 0 : 1);
            chunks.add(indices.subList(from, from + size));
            from += size;
        }
        return chunks;
    }
}
