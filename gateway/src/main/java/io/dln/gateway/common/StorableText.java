package io.dln.gateway.common;

/**
 * Text PostgreSQL can store: no U+0000 (text columns refuse it) and no lone UTF-16 surrogate (it has no UTF-8 form).
 * Such text is refused at the boundary with the field (and line) that holds it, never sent to the database.
 */
public final class StorableText {

    private StorableText() {
    }

    /** What is wrong with the text, or null when it can be stored. */
    public static String problem(String text) {
        if (text == null) return null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) return "contains the character U+0000 (NUL), which cannot be stored; remove it";
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return "contains a lone UTF-16 surrogate (U+" + Integer.toHexString(c).toUpperCase() + "), which is not text";
            }
            if (Character.isLowSurrogate(c)) {
                return "contains a lone UTF-16 surrogate (U+" + Integer.toHexString(c).toUpperCase() + "), which is not text";
            }
        }
        return null;
    }

    /** Refuses the text with 400 naming {@code field}. */
    public static String check(String field, String text) {
        String problem = problem(text);
        if (problem != null) throw ApiException.invalidField(field, problem);
        return text;
    }
}
