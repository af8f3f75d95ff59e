package io.dln.core.loss;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class NumberPresenceLossTest {

    private final Loss loss = new NumberPresenceLoss();

    @ParameterizedTest(name = "[{0}] for [{1}] -> {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
            "'So the total is 1,200.'  | 1200  | 0",
            "1200                      | '1,200' | 0",
            "'1,234,567 people'        | 1234567 | 0",
            "I think 12 or 13          | 13    | 0",
            "I think 12 or 13          | 14    | 1",
            "x = 042                   | 42    | 0",
            "3.50 dollars              | 3.5   | 0",
            "42.0                      | 42    | 0",
            "123                       | 12    | 1",
            "-5 degrees                | 5     | 1",
            "-5 degrees                | -5    | 0",
            "from 3-5                  | 5     | 0",
            "#7                        | 7     | 0",
            "no numbers here           | 7     | 1",
            "'1, 2, 3'                 | 3     | 0",
    })
    void findsTheTargetNumber(String prediction, String target, double expected) {
        assertEquals(expected, loss.loss(prediction, target));
    }

    @Test
    void comparesTextWhenTheTargetHasNoNumber() {
        assertEquals(0.0, loss.loss(" yes ", "yes"));
        assertEquals(1.0, loss.loss("no", "yes"));
    }

    @Test
    void normalizeOnlyTrims() {
        assertEquals("7 apples", loss.normalize("  7 apples \n"));
    }
}
