package io.dln.core.model;

import io.dln.core.lm.LanguageModel;

/** Which model serves forward calls, prompt and hidden-text proposals, and scoring. */
public record Backends(LanguageModel forward, LanguageModel backward, LanguageModel scoring) {

    public static Backends single(LanguageModel model) {
        return new Backends(model, model, model);
    }
}
