package io.dln.core.loss;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LossesTest {

    @Test
    void makesTheNamedLoss() {
        assertInstanceOf(ExactMatchLoss.class, Losses.byName("exact_match"));
        assertInstanceOf(NumberPresenceLoss.class, Losses.byName("number_presence"));
    }

    @Test
    void rejectsAnUnknownNameListingTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Losses.byName("zero_one"));
        assertTrue(e.getMessage().contains("zero_one"), e.getMessage());
        assertTrue(e.getMessage().contains("exact_match, number_presence"), e.getMessage());
    }
}
