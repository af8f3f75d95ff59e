package io.dln.core.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/**
 * Where a candidate prompt of an update came from: the layer's current prompt, a fresh proposal of the backward
 * LLM, the memory of best dev prompts, or a person's guidance (a pinned candidate, or a prompt they wrote).
 */
public enum CandidateOrigin {
    CURRENT, PROPOSAL, MEMORY, PINNED, EDITED;

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static CandidateOrigin parse(String text) {
        return text == null ? null : valueOf(text.toUpperCase(Locale.ROOT));
    }
}
