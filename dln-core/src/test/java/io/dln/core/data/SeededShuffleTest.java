package io.dln.core.data;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SeededShuffleTest {

    private static final List<Integer> DIGITS = List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);

    // Recorded once; a change here would silently change every published split.
    @Test
    void givesTheRecordedOrderForASeed() {
        assertEquals(List.of(4, 6, 2, 1, 7, 9, 8, 5, 3, 0), SeededShuffle.shuffle(DIGITS, 42));
        assertEquals(List.of(0, 1, 9, 3, 7, 4, 8, 5, 2, 6), SeededShuffle.shuffle(DIGITS, 7));
    }

    @Test
    void leavesItsInputAlone() {
        List<Integer> input = new java.util.ArrayList<>(DIGITS);
        SeededShuffle.shuffle(input, 1);
        assertEquals(DIGITS, input);
    }
}
