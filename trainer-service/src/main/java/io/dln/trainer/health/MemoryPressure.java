package io.dln.trainer.health;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Whether the JVM is running out of heap: the share of wall time spent collecting garbage over a sliding window, and
 * how full the old generation is right after a collection. Trouble when the GC share reaches {@code gcShare} or the
 * heap after GC reaches {@code heapAfterGc}; calm again once both are well below (at 40 % and 90 % of the thresholds)
 * for the calm period.
 */
final class MemoryPressure {

    /** One reading: wall time, GC time so far (both in ns), and old-generation use after the last GC (0..1, or NaN). */
    record Sample(long nowNanos, long gcNanos, double heapAfterGc) {
    }

    private final long windowNanos;
    private final double gcShare;
    private final double heapAfterGc;
    private final Hysteresis state;
    private final Deque<Sample> samples = new ArrayDeque<>();
    private volatile double lastShare;
    private volatile double lastHeap = Double.NaN;

    MemoryPressure(long windowNanos, double gcShare, double heapAfterGc, long calmNanos) {
        this.windowNanos = windowNanos;
        this.gcShare = gcShare;
        this.heapAfterGc = heapAfterGc;
        this.state = new Hysteresis(calmNanos);
    }

    /** Takes a reading; returns whether the heap is under pressure. */
    synchronized boolean observe(Sample sample) {
        samples.addLast(sample);
        while (samples.size() > 2 && sample.nowNanos() - samples.getFirst().nowNanos() > windowNanos) samples.removeFirst();
        Sample first = samples.getFirst();
        long wall = sample.nowNanos() - first.nowNanos();
        double share = wall <= 0 ? 0 : Math.min(1.0, (sample.gcNanos() - first.gcNanos()) / (double) wall);
        boolean windowFull = wall >= windowNanos / 2; // a share over a few milliseconds says nothing
        double heap = sample.heapAfterGc();
        boolean trouble = (windowFull && share >= gcShare) || (!Double.isNaN(heap) && heap >= heapAfterGc);
        boolean calm = share < 0.4 * gcShare && (Double.isNaN(heap) || heap < 0.9 * heapAfterGc);
        lastShare = share;
        lastHeap = heap;
        return state.observe(trouble, calm, sample.nowNanos());
    }

    boolean underPressure() {
        return state.bad();
    }

    double gcShare() {
        return lastShare;
    }

    double heapAfterGc() {
        return lastHeap;
    }
}
