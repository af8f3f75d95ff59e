package io.dln.trainer.health;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GC thrash and a full old generation, as the samples of a JVM in trouble would show them. */
class MemoryPressureTest {

    private static final long S = 1_000_000_000L;

    private final MemoryPressure memory = new MemoryPressure(30 * S, 0.5, 0.95, 30 * S);

    /** Samples every 2 s from {@code from} s for {@code seconds} s, spending {@code share} of the time in GC. */
    private long run(long from, long seconds, double share, double heapAfterGc, long gcSoFar, boolean expected) {
        long gc = gcSoFar;
        for (long t = from; t < from + seconds; t += 2) {
            gc += (long) (share * 2 * S);
            assertEquals(expected, memory.observe(new MemoryPressure.Sample(t * S, gc, heapAfterGc)), "at " + t + " s");
        }
        return gc;
    }

    @Test
    void aHealthyHeapIsNotUnderPressureEvenWithAShortBurstOfCollections() {
        long gc = run(0, 60, 0.02, 0.4, 0, false);
        gc = run(60, 4, 0.9, 0.5, gc, false); // 4 s of heavy collection is 12 % of the window
        run(64, 60, 0.02, 0.4, gc, false);
    }

    @Test
    void gcThrashTurnsItDownAndItRecoversOnlyAfterCalm() {
        long gc = run(0, 30, 0.02, 0.4, 0, false);
        long t = 30;
        boolean pressed = false;
        while (!pressed && t < 90) { // the share over the window climbs past one half
            gc += (long) (0.95 * 2 * S);
            pressed = memory.observe(new MemoryPressure.Sample(t * S, gc, 0.8));
            t += 2;
        }
        assertTrue(pressed, "thrashing is noticed within the window");
        assertTrue(memory.gcShare() >= 0.5);
        gc = run(t, 30, 0.3, 0.8, gc, true); // better, but not calm: 30 % is above 40 % of the threshold
        assertTrue(memory.underPressure());
        t += 30;
        boolean recovered = false;
        long calmFrom = t;
        while (!recovered && t < calmFrom + 120) {
            gc += (long) (0.01 * 2 * S);
            recovered = !memory.observe(new MemoryPressure.Sample(t * S, gc, 0.5));
            t += 2;
        }
        assertTrue(recovered);
        assertTrue(t - calmFrom >= 30, "not before the window has forgotten the thrash and calm lasted 30 s: " + (t - calmFrom));
    }

    @Test
    void anOldGenerationFullAfterCollectionIsTroubleAtOnce() {
        run(0, 10, 0.05, 0.5, 0, false);
        assertTrue(memory.observe(new MemoryPressure.Sample(10 * S, 10 * S / 20, 0.97)));
        assertEquals(0.97, memory.heapAfterGc());
        assertTrue(memory.observe(new MemoryPressure.Sample(12 * S, 10 * S / 20, 0.92)), "92 % is not calm (below 85.5 % is)");
    }

    @Test
    void anUnknownOldGenerationLeavesTheGcShareToDecide() {
        assertFalse(memory.observe(new MemoryPressure.Sample(0, 0, Double.NaN)));
        assertFalse(memory.observe(new MemoryPressure.Sample(30 * S, S, Double.NaN)));
    }
}
