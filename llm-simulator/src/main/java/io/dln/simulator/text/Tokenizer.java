package io.dln.simulator.text;

import java.util.ArrayList;
import java.util.List;

/**
 * The simulator's own deterministic tokenizer. A token is a run of letters and digits (at most
 * {@value #MAX_WORD} characters) or one other character, with a single preceding space attached;
 * every newline is a token of its own, and other whitespace stands alone. Concatenating the tokens
 * gives back the text, so token boundaries after a prompt that ends in a newline are the same
 * whether the continuation is tokenized alone or together with the prompt.
 */
public final class Tokenizer {

    static final int MAX_WORD = 16;

    private Tokenizer() {
    }

    public static List<Token> tokenize(String text) {
        return tokenize(text, 0);
    }

    /** The tokens of {@code text} from {@code from}, a token boundary, on; offsets count from the start of the text. */
    public static List<Token> tokenize(String text, int from) {
        List<Token> tokens = new ArrayList<>((text.length() - from) / 4 + 1);
        int i = from;
        while (i < text.length()) {
            int end = next(text, i);
            tokens.add(new Token(text.substring(i, end), i));
            i = end;
        }
        return tokens;
    }

    public static List<String> pieces(String text) {
        List<String> tokens = new ArrayList<>(text.length() / 4 + 1);
        int i = 0;
        while (i < text.length()) {
            int end = next(text, i);
            tokens.add(text.substring(i, end));
            i = end;
        }
        return tokens;
    }

    public static int count(String text) {
        int n = 0;
        int i = 0;
        while (i < text.length()) {
            i = next(text, i);
            n++;
        }
        return n;
    }

    /** The end of the token that starts at {@code start}. */
    private static int next(String text, int start) {
        int i = start;
        char c = text.charAt(i);
        if (c == '\n') return i + 1;
        if (c == ' ' && i + 1 < text.length() && !whitespace(text.charAt(i + 1))) {
            i++;
        } else if (whitespace(c)) {
            return i + 1;
        }
        int cp = text.codePointAt(i);
        if (!letterOrDigit(cp)) return i + Character.charCount(cp);
        int limit = i + MAX_WORD;
        while (i < text.length() && i < limit) {
            cp = text.codePointAt(i);
            if (!letterOrDigit(cp)) break;
            i += Character.charCount(cp);
        }
        return i;
    }

    // ASCII first: prompts are nearly all ASCII, and the Character lookups dominated tokenizing them
    private static boolean whitespace(char c) {
        return c < 128 ? c == ' ' || (c >= '\t' && c <= '\r') || (c >= '\u001C' && c <= '\u001F') : Character.isWhitespace(c);
    }

    private static boolean letterOrDigit(int cp) {
        return cp < 128 ? (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9')
                : Character.isLetterOrDigit(cp);
    }
}
