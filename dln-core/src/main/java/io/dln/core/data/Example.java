package io.dln.core.data;

import java.util.Objects;

/** One labelled example: the text the network reads and the answer it should give. */
public record Example(String input, String target) {

    public Example {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(target, "target");
    }
}
