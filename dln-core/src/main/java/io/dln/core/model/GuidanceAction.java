package io.dln.core.model;

import java.util.Objects;

/**
 * One thing a person told the training about a layer (1: the hidden layer of a DLN-2, 2: the output layer), applied
 * at the start of an iteration:
 * <ul>
 *   <li>PIN: {@code text} (a candidate they picked) becomes the layer's prompt, and is offered as a candidate later;</li>
 *   <li>EDIT: the same for a prompt they wrote;</li>
 *   <li>REJECT: {@code text} is never chosen again;</li>
 *   <li>FEEDBACK: {@code text} is shown to the backward LLM in the layer's proposals until other feedback replaces it
 *       (an empty text clears it).</li>
 * </ul>
 */
public record GuidanceAction(Kind kind, int layer, String text) {

    public enum Kind { PIN, EDIT, REJECT, FEEDBACK }

    public GuidanceAction {
        Objects.requireNonNull(kind, "kind");
        if (layer != 1 && layer != 2) throw new IllegalArgumentException("layer must be 1 (hidden) or 2 (output), was " + layer);
        text = text == null ? "" : text;
        if (kind != Kind.FEEDBACK && text.isBlank()) throw new IllegalArgumentException(kind + " needs a prompt");
    }

    public static GuidanceAction pin(int layer, String prompt) {
        return new GuidanceAction(Kind.PIN, layer, prompt);
    }

    public static GuidanceAction edit(int layer, String prompt) {
        return new GuidanceAction(Kind.EDIT, layer, prompt);
    }

    public static GuidanceAction reject(int layer, String prompt) {
        return new GuidanceAction(Kind.REJECT, layer, prompt);
    }

    public static GuidanceAction feedback(int layer, String text) {
        return new GuidanceAction(Kind.FEEDBACK, layer, text);
    }

    /** Whether it makes {@code text} the layer's prompt. */
    public boolean setsPrompt() {
        return kind == Kind.PIN || kind == Kind.EDIT;
    }

    /** The prompts after this action: the layer's prompt replaced for a pin or an edit, unchanged otherwise. */
    public NetworkPrompts applyTo(NetworkPrompts prompts) {
        if (!setsPrompt()) return prompts;
        return layer == 1 ? new NetworkPrompts(text, prompts.p2()) : new NetworkPrompts(prompts.p1(), text);
    }
}
