package io.dln.tasks;

import java.util.Objects;

/** One labelled example: the input text and the target (the prototype of its output class). */
public record TaskExample(String input, String target) {

    public TaskExample {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(target, "target");
    }
}
