package io.dln.core.loss;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PredictionNormalizerTest {

    @ParameterizedTest(name = "[{0}] -> [{1}]")
    @CsvSource(delimiter = '|', emptyValue = "", quoteCharacter = '\'', value = {
            "Option (A)          | a",
            "(B).                | b",
            "Yes, because...     | yes",
            "A                   | a",
            "no.                 | no",
            "'  Negative \t'     | negative",
            "option              | option",
            "Option 3: yes       | yes",
            "OPTION b            | b",
            "The answer is (C)   | the",
            "(A) or (B)          | a",
            "42                  | ''",
            "'!?! ...'           | ''",
            "''                  | ''",
            "x2y                 | x",
            "hello_world again   | hello_world",
            "Café!               | café",
    })
    void reducesToTheDecidingWord(String text, String expected) {
        assertEquals(expected, PredictionNormalizer.normalize(text));
    }

    @Test
    void treatsNullAsEmpty() {
        assertEquals("", PredictionNormalizer.normalize(null));
    }

    @Test
    void readsAcrossLines() {
        assertEquals("positive", PredictionNormalizer.normalize("\n\nPositive\nbecause it praises"));
    }
}
