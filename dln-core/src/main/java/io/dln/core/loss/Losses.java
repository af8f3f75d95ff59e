package io.dln.core.loss;

import java.util.List;

/** The losses a task can name in configuration. */
public final class Losses {

    public static final List<String> NAMES = List.of(ExactMatchLoss.NAME, NumberPresenceLoss.NAME);

    private Losses() {
    }

    public static Loss byName(String name) {
        if (ExactMatchLoss.NAME.equals(name)) return new ExactMatchLoss();
        if (NumberPresenceLoss.NAME.equals(name)) return new NumberPresenceLoss();
        throw new IllegalArgumentException("unknown loss '" + name + "'; known losses: " + String.join(", ", NAMES));
    }
}
