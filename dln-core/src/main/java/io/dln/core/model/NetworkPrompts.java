package io.dln.core.model;

/** The trainable parameters of a network: the hidden layer's prompt (unused by DLN-1) and the output layer's. */
public record NetworkPrompts(String p1, String p2) {

    public NetworkPrompts {
        p1 = p1 == null ? "" : p1;
        p2 = p2 == null ? "" : p2;
    }

    /**
     * A key for caches of evaluated prompt pairs. The separator is the ASCII unit separator: it does not
     * occur in prompt text, and unlike NUL it can be stored in a PostgreSQL JSON column.
     */
    public String key() {
        return p1 + '\u001F' + p2;
    }
}
