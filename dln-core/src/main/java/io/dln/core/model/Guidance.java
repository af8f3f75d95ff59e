package io.dln.core.model;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * A person's guidance of both layers so far (GUIDE's idea, on the DLN algorithm): kept prompts, rejected prompts and
 * feedback per layer. It is part of the training state, so a resumed run honours it exactly as an uninterrupted one.
 */
public record Guidance(LayerGuidance p1, LayerGuidance p2) {

    public static final Guidance NONE = new Guidance(LayerGuidance.NONE, LayerGuidance.NONE);

    public Guidance {
        p1 = p1 == null ? LayerGuidance.NONE : p1;
        p2 = p2 == null ? LayerGuidance.NONE : p2;
    }

    public LayerGuidance layer(int layer) {
        return layer == 1 ? p1 : p2;
    }

    public Guidance with(GuidanceAction action) {
        return action.layer() == 1 ? new Guidance(p1.with(action), p2) : new Guidance(p1, p2.with(action));
    }

    @JsonIgnore
    public boolean isEmpty() {
        return p1.isEmpty() && p2.isEmpty();
    }
}
