package io.dln.trainer.health;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HysteresisTest {

    private static final long S = 1_000_000_000L;

    @Test
    void turnsBadAtOnceAndGoodOnlyAfterACalmPeriod() {
        Hysteresis h = new Hysteresis(10 * S);
        assertFalse(h.observe(false, true, 0));
        assertTrue(h.observe(true, false, S), "trouble counts at once");
        assertTrue(h.observe(false, true, 2 * S), "one calm reading is not enough");
        assertTrue(h.observe(false, true, 11 * S));
        assertFalse(h.observe(false, true, 12 * S), "calm for 10 s");
    }

    @Test
    void aValueHoveringAroundTheThresholdDoesNotFlap() {
        Hysteresis h = new Hysteresis(10 * S);
        h.observe(true, false, 0);
        for (int t = 1; t < 60; t++) {
            boolean trouble = t % 2 == 0; // above, below, above...
            assertTrue(h.observe(trouble, !trouble, t * S), "still bad at " + t + " s");
        }
        assertTrue(h.observe(false, false, 61 * S), "neither trouble nor calm (between the thresholds) keeps it bad");
        assertTrue(h.observe(false, true, 62 * S));
        assertFalse(h.observe(false, true, 72 * S));
    }
}
