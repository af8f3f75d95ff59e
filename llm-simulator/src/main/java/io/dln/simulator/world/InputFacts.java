package io.dln.simulator.world;

import io.dln.tasks.TaskFamily;
import io.dln.tasks.TaskWorld;
import java.util.List;
import java.util.Optional;

/**
 * What the simulator works out once per task input (its family, the true class, the analyses it can
 * write) and reuses across the many calls a DLN run makes about the same input.
 */
final class InputFacts {

    record Facts(TaskFamily family, int correct, List<String> right, List<String> wrong) {
    }

    private final TaskWorld world;
    private final BoundedCache<String, Optional<Facts>> cache = new BoundedCache<>(20_000);

    InputFacts(TaskWorld world) {
        this.world = world;
    }

    Optional<Facts> of(String input) {
        return cache.get(input, this::compute);
    }

    /** The family's analyses as the model writes them: an opening paragraph, then the working. */
    private static List<String> written(TaskFamily f, String input, boolean right) {
        return f.analyses(input, right).stream().map(working -> f.written(input, working)).toList();
    }

    private Optional<Facts> compute(String input) {
        Optional<TaskFamily> family = world.find(input);
        if (family.isEmpty()) return Optional.empty();
        TaskFamily f = family.get();
        try {
            return Optional.of(new Facts(f, f.classIndex(f.solve(input)), written(f, input, true), written(f, input, false)));
        } catch (RuntimeException notReallyOurs) {
            // recognised, but not an input the family can solve: treat it as unknown
            return Optional.empty();
        }
    }
}
