package io.dln.llm;

import io.dln.core.lm.TokenUsage;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * In-memory totals per operation: logical calls, retries (extra attempts), calls that failed for good,
 * and the tokens the servers reported. HTTP attempts made = calls + retries.
 */
public final class CallCounters implements LlmCallListener {

    /** A snapshot of one operation's totals. */
    public record Counts(long calls, long retries, long failures, long promptTokens, long completionTokens) {

        public static final Counts ZERO = new Counts(0, 0, 0, 0, 0);

        public long totalTokens() {
            return promptTokens + completionTokens;
        }

        Counts plus(Counts o) {
            return new Counts(calls + o.calls, retries + o.retries, failures + o.failures,
                    promptTokens + o.promptTokens, completionTokens + o.completionTokens);
        }
    }

    private static final class Cells {
        final LongAdder calls = new LongAdder();
        final LongAdder retries = new LongAdder();
        final LongAdder failures = new LongAdder();
        final LongAdder promptTokens = new LongAdder();
        final LongAdder completionTokens = new LongAdder();

        Counts snapshot() {
            return new Counts(calls.sum(), retries.sum(), failures.sum(), promptTokens.sum(), completionTokens.sum());
        }
    }

    private final Map<LlmOperation, Cells> cells = new EnumMap<>(LlmOperation.class);
    private final LongAdder hedges = new LongAdder();

    public CallCounters() {
        for (LlmOperation op : LlmOperation.values()) cells.put(op, new Cells());
    }

    @Override
    public void onSuccess(String backend, LlmOperation operation, int attempts, Duration elapsed, TokenUsage usage) {
        Cells c = cells.get(operation);
        c.calls.increment();
        c.promptTokens.add(usage.promptTokens());
        c.completionTokens.add(usage.completionTokens());
    }

    @Override
    public void onRetry(String backend, LlmOperation operation, int attempt, Duration delay, LlmBackendException cause) {
        cells.get(operation).retries.increment();
    }

    @Override
    public void onHedge(String backend, LlmOperation operation, Duration after) {
        hedges.increment();
    }

    /** Attempts sent again because the first had no answer by its hedge point. */
    public long hedges() {
        return hedges.sum();
    }

    @Override
    public void onFailure(String backend, LlmOperation operation, int attempts, Duration elapsed, LlmBackendException error) {
        Cells c = cells.get(operation);
        c.calls.increment();
        c.failures.increment();
    }

    public Counts get(LlmOperation operation) {
        return cells.get(operation).snapshot();
    }

    public Counts total() {
        Counts sum = Counts.ZERO;
        for (Cells c : cells.values()) sum = sum.plus(c.snapshot());
        return sum;
    }
}
