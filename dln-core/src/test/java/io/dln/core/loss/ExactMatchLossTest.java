package io.dln.core.loss;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExactMatchLossTest {

    private final Loss loss = new ExactMatchLoss();

    @Test
    void letterAnswersMatchTheirParenthesisedTargets() {
        assertEquals(0.0, loss.loss("Option (A)", "(A)"));
        assertEquals(0.0, loss.loss("a", "(A)"));
        assertEquals(0.0, loss.loss("(B).", "(B)"));
        assertEquals(1.0, loss.loss("(B)", "(A)"));
    }

    @Test
    void ignoresCaseAndTrailingExplanation() {
        assertTrue(loss.isCorrect("Yes, because the steps cancel out.", "Yes"));
        assertTrue(loss.isCorrect("yes", "Yes"));
        assertFalse(loss.isCorrect("No", "Yes"));
    }

    @Test
    void judgesOnlyTheFirstWord() {
        assertEquals(1.0, loss.loss("The answer is yes", "yes"));
        assertEquals(1.0, loss.loss("", "yes"));
    }

    @Test
    void normalizesLikeThePredictionNormalizer() {
        assertEquals("a", loss.normalize("Option (A)"));
    }
}
