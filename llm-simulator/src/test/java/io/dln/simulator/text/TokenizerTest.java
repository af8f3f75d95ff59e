package io.dln.simulator.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class TokenizerTest {

    @Test
    void splitsWordsWithTheirLeadingSpacePunctuationAndNewlines() {
        assertEquals(List.of("###", " Answer", "\n", "Yes"), merge(Tokenizer.pieces("### Answer\nYes")));
        assertEquals(List.of("Take", " 10", " steps", ".", "\n", "\n", " ", " x"), Tokenizer.pieces("Take 10 steps.\n\n  x"));
        assertEquals(List.of("(", "A", ")"), Tokenizer.pieces("(A)"));
    }

    @Test
    void isLosslessAndCountsAgree() {
        String text = "Ünïcode 😀 text,\twith\ttabs  and   spaces\n\nend — ok?";
        assertEquals(text, String.join("", Tokenizer.pieces(text)));
        assertEquals(Tokenizer.pieces(text).size(), Tokenizer.count(text));
        Tokenizer.tokenize(text).forEach(t -> assertEquals(t.text(), text.substring(t.offset(), t.end())));
    }

    @Test
    void boundsVeryLongWords() {
        assertEquals(3, Tokenizer.count("a".repeat(40)));
    }

    private static List<String> merge(List<String> pieces) {
        // "###" is three tokens; join them for readability of the expectation
        return List.of(String.join("", pieces.subList(0, 3)), pieces.get(3), pieces.get(4), pieces.get(5));
    }
}
