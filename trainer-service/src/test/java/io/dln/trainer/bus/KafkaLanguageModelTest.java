package io.dln.trainer.bus;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How the calls of one list are cut into messages. */
class KafkaLanguageModelTest {

    @Test
    void generationsTravelInTheFewestMessagesOnConsecutivePartitions() {
        assertEquals(Map.of(4, List.of(List.of(0, 1, 2))), KafkaLanguageModel.spread(3, 4, 6, 64));
        assertEquals(Map.of(5, List.of(List.of(0, 1, 2, 3)), 0, List.of(List.of(4, 5, 6))),
                KafkaLanguageModel.spread(7, 5, 6, 4));
    }

    @Test
    void moreMessagesThanPartitionsWrapAround() {
        assertEquals(Map.of(0, List.of(List.of(0), List.of(2)), 1, List.of(List.of(1))),
                KafkaLanguageModel.spread(3, 0, 2, 1));
    }

    @Test
    void chunksAreEvenAndNoLargerThanTheMaximum() {
        assertEquals(List.of(List.of(0, 1, 2), List.of(3, 4)), KafkaLanguageModel.evenChunks(List.of(0, 1, 2, 3, 4), 4));
    }
}
