package io.dln.core.loss;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reduces a model's answer to the one word that decides exact match, the way the DLN reference
 * does: non-word characters and digits become spaces, the text is lower-cased and split into
 * words; the answer is the first word, or the second when the first is "option".
 * So "Option (A)" gives "a", "(B)." gives "b" and "Yes, because..." gives "yes".
 */
public final class PredictionNormalizer {

    // Unicode classes so that \W and \d behave like Python 3's re on str, as in the reference.
    private static final Pattern NON_WORD = Pattern.compile("\\W+", Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern DIGITS = Pattern.compile("\\d+", Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern SPACES = Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);

    private PredictionNormalizer() {
    }

    public static String normalize(String text) {
        if (text == null) return "";
        String cleaned = NON_WORD.matcher(text).replaceAll(" ");
        cleaned = DIGITS.matcher(cleaned).replaceAll(" ");
        cleaned = SPACES.matcher(cleaned).replaceAll(" ").strip().toLowerCase(Locale.ROOT);
        if (cleaned.isEmpty()) return "";
        String[] words = cleaned.split(" ");
        if (words.length > 1 && words[0].equals("option")) return words[1];
        return words[0];
    }
}
