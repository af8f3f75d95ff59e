package io.dln.core.lm;

import java.util.List;

/** The samples generated for one request, in order, and what they cost. */
public record Generation(List<String> texts, TokenUsage usage) {

    public Generation {
        texts = List.copyOf(texts);
        usage = usage == null ? TokenUsage.NONE : usage;
    }

    public String first() {
        return texts.getFirst();
    }
}
