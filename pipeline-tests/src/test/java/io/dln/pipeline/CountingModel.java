package io.dln.pipeline;

import io.dln.core.lm.Capabilities;
import io.dln.core.lm.ClassDistribution;
import io.dln.core.lm.ClassDistributionRequest;
import io.dln.core.lm.Generation;
import io.dln.core.lm.GenerationRequest;
import io.dln.core.lm.LanguageModel;
import io.dln.core.lm.LogProbability;
import io.dln.core.lm.LogProbabilityRequest;

import io.dln.messages.MessageCodec;
import io.dln.messages.Operation;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts what the algorithm asks of a model: calls, and dependent phases. A batch sent after other
 * batches came back may depend on them, so its phase is one more than the deepest of those; batches
 * in flight together share a phase.
 */
final class CountingModel implements LanguageModel {

    private final LanguageModel delegate;
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger phases = new AtomicInteger();
    private final AtomicInteger deepestAnswered = new AtomicInteger();
    /**
     * Per phase: the sequences its generations ask for (a generation of n samples is n), and its scoring calls (log
     * probabilities and class distributions) by the partition of dln.score.requests the trainer sends each to.
     */
    private final java.util.Map<Integer, int[]> byPhase = new java.util.concurrent.ConcurrentSkipListMap<>();
    private final String backend;
    private final int scorePartitions;

    /** Counting also where each scoring call would go: the partition of its content key for {@code backend}. */
    CountingModel(LanguageModel delegate, String backend, int scorePartitions) {
        this.delegate = delegate;
        this.backend = backend;
        this.scorePartitions = scorePartitions;
    }

    @Override
    public CompletableFuture<List<Generation>> generate(List<GenerationRequest> requests) {
        return count(requests, Operation.GENERATE, delegate.generate(requests));
    }

    @Override
    public CompletableFuture<List<LogProbability>> logProbability(List<LogProbabilityRequest> requests) {
        return count(requests, Operation.LOG_PROBABILITY, delegate.logProbability(requests));
    }

    @Override
    public CompletableFuture<List<ClassDistribution>> classDistribution(List<ClassDistributionRequest> requests) {
        return count(requests, Operation.CLASS_DISTRIBUTION, delegate.classDistribution(requests));
    }

    @Override
    public Capabilities capabilities() {
        return delegate.capabilities();
    }

    /** Starts counting afresh, e.g. for the next training step. */
    void reset() {
        calls.set(0);
        phases.set(0);
        deepestAnswered.set(0);
        byPhase.clear();
    }

    /** The calls of each phase so far, in phase order. */
    List<PhaseCalls> phaseCalls() {
        return byPhase.values().stream().map(c -> new PhaseCalls(c[0], Arrays.copyOfRange(c, 1, c.length))).toList();
    }

    /** The calls of one dependent phase: generation sequences go to samplers, scoring calls (by partition) to scorers. */
    record PhaseCalls(int generationSequences, int[] scoresByPartition) {
        int scores() {
            return Arrays.stream(scoresByPartition).sum();
        }
    }

    private <T> CompletableFuture<T> count(List<?> requests, Operation operation, CompletableFuture<T> answers) {
        int size = requests.size();
        if (size == 0) return answers;
        calls.addAndGet(size);
        int phase = deepestAnswered.get() + 1;
        phases.accumulateAndGet(phase, Math::max);
        int[] counts = byPhase.computeIfAbsent(phase, p -> new int[1 + scorePartitions]);
        synchronized (counts) {
            for (Object request : requests) {
                if (request instanceof GenerationRequest generation) counts[0] += Math.max(1, generation.n());
                else counts[1 + MessageCodec.partitionOf(MessageCodec.contentKey(backend, operation, request), scorePartitions)]++;
            }
        }
        return answers.whenComplete((result, error) -> deepestAnswered.accumulateAndGet(phase, Math::max));
    }
}
