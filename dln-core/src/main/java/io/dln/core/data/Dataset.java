package io.dln.core.data;

import io.dln.core.lm.OutputClasses;

import java.util.List;
import java.util.Objects;

/**
 * A task's examples split into train, dev and test, with what the task says about itself: its
 * output classes (null for free-text answers) and an instruction to start the output layer from.
 */
public record Dataset(String name, String instruction, OutputClasses outputClasses,
                      List<Example> train, List<Example> dev, List<Example> test) {

    public Dataset {
        Objects.requireNonNull(name, "name");
        instruction = instruction == null ? "" : instruction;
        train = List.copyOf(train);
        dev = List.copyOf(dev);
        test = List.copyOf(test);
    }

    public List<Example> split(Split split) {
        return switch (split) {
            case TRAIN -> train;
            case DEV -> dev;
            case TEST -> test;
        };
    }

    public boolean hasOutputClasses() {
        return outputClasses != null;
    }

    /**
     * The output class of a target, by {@link TargetClasses}: "(A)" belongs to "a|A|(A)" and also
     * to "a|A". -1 when no single class matches; the loaders guarantee a class for every example.
     */
    public int classIndexOf(String target) {
        if (outputClasses == null) throw new IllegalStateException("task " + name + " has no output classes");
        return TargetClasses.indexOf(outputClasses, target);
    }
}
