package io.dln.simulator.text;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token ids for the simulator's tokens, as a real server's tokenizer endpoint gives them out (vLLM: POST
 * /tokenize), so clients can name tokens in a logit_bias. An id is a stable hash of the token's text; the
 * simulator remembers which text each id it gave out stands for.
 */
public final class Vocabulary {

    private static final int MAX_REMEMBERED = 200_000;
    private static final Map<Integer, String> TEXTS = new ConcurrentHashMap<>();

    private Vocabulary() {
    }

    public static int id(String token) {
        int id = token.hashCode() & 0x3fffffff;
        if (TEXTS.size() < MAX_REMEMBERED) TEXTS.putIfAbsent(id, token);
        return id;
    }

    public static List<Integer> ids(String text) {
        return Tokenizer.pieces(text).stream().map(Vocabulary::id).toList();
    }

    /** The token an id stands for, or null for an id this simulator never gave out. */
    public static String token(int id) {
        return TEXTS.get(id);
    }
}
