package io.dln.llm;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Recent latencies of successful attempts per kind of call (operation and the power of two of its estimated
 * tokens: a one-token score and a 500-token analysis do not take the same time), and the deadline and hedge point
 * they give under an {@link AttemptTiming}. A kind not known well enough yet is hedged by what its operation's calls of
 * all sizes took (or, before those are known, all the backend's calls), but gets no deadline shorter than the timeout: a hedge that was not needed costs one request, a
 * deadline too short would fail calls that were fine.
 */
final class LatencyWindows {

    static final int WINDOW = 128;
    private static final String ANY = "*";

    /** What an attempt of one kind may take: its deadline, and when to hedge it (empty: not at all). */
    record Limits(Duration deadline, Optional<Duration> hedgeAfter) {

        /** The deadline doubled for each attempt of the call that timed out before, at most {@code ceiling}. */
        Limits widened(int timeoutsBefore, Duration ceiling) {
            if (timeoutsBefore == 0) return this;
            Duration wider = deadline.multipliedBy(1L << Math.min(timeoutsBefore, 20));
            return new Limits(wider.compareTo(ceiling) > 0 ? ceiling : wider, hedgeAfter.filter(h -> h.compareTo(ceiling) < 0));
        }
    }

    private final AttemptTiming timing;
    private final Duration ceiling;
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

    LatencyWindows(AttemptTiming timing, Duration ceiling) {
        this.timing = timing;
        this.ceiling = ceiling;
    }

    static String kind(LlmOperation operation, long estimatedTokens) {
        return operation.name() + "/" + (64 - Long.numberOfLeadingZeros(Math.max(0, estimatedTokens)));
    }

    private static String operationOf(String kind) {
        return kind.substring(0, kind.indexOf('/')) + "/*";
    }

    void record(String kind, long nanos) {
        windows.computeIfAbsent(kind, k -> new Window()).add(nanos);
        windows.computeIfAbsent(operationOf(kind), k -> new Window()).add(nanos);
        windows.computeIfAbsent(ANY, k -> new Window()).add(nanos);
    }

    Limits limits(String kind) {
        long[] sorted = sorted(kind);
        if (sorted == null) {
            long[] operation = timing.hedging() ? sorted(operationOf(kind)) : null;
            if (operation == null && timing.hedging()) operation = sorted(ANY);
            if (operation == null) return new Limits(ceiling, Optional.empty());
            Duration hedge = clamp(quantile(operation, timing.hedgeQuantile()) * timing.hedgeFactor(), timing.hedgeFloor(), ceiling);
            return new Limits(ceiling, hedge.compareTo(ceiling) < 0 ? Optional.of(hedge) : Optional.empty());
        }
        Duration deadline = clamp(quantile(sorted, timing.deadlineQuantile()) * timing.deadlineFactor(), timing.deadlineFloor(), ceiling);
        if (!timing.hedging()) return new Limits(deadline, Optional.empty());
        Duration hedge = clamp(quantile(sorted, timing.hedgeQuantile()) * timing.hedgeFactor(), timing.hedgeFloor(), deadline);
        return new Limits(deadline, hedge.compareTo(deadline) < 0 ? Optional.of(hedge) : Optional.empty());
    }

    private long[] sorted(String kind) {
        Window w = windows.get(kind);
        return w == null ? null : w.sorted(timing.minSamples());
    }

    private static double quantile(long[] sorted, double q) {
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static Duration clamp(double nanos, Duration floor, Duration ceiling) {
        long n = (long) Math.min(nanos, Long.MAX_VALUE / 2.0);
        Duration d = Duration.ofNanos(n);
        if (d.compareTo(floor) < 0) d = floor;
        return d.compareTo(ceiling) > 0 ? ceiling : d;
    }

    private static final class Window {
        private final long[] ring = new long[WINDOW];
        private int next;
        private int size;

        synchronized void add(long nanos) {
            ring[next] = nanos;
            next = (next + 1) % WINDOW;
            if (size < WINDOW) size++;
        }

        /** The latencies known, sorted; null while fewer than {@code minSamples}. */
        synchronized long[] sorted(int minSamples) {
            if (size < minSamples) return null;
            long[] copy = Arrays.copyOf(ring, size);
            Arrays.sort(copy);
            return copy;
        }
    }
}
