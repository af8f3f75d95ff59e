package io.dln.tasks;

import java.util.List;
import java.util.Optional;

/** The task families the simulator knows, and which of them an input text belongs to. */
public final class TaskWorld {

    private final List<TaskFamily> families;

    public TaskWorld(List<TaskFamily> families) {
        this.families = List.copyOf(families);
    }

    /** navigate, sum-parity and basket-totals. */
    public static TaskWorld standard() {
        return new TaskWorld(List.of(new NavigateTask(), new SumParityTask(), new BasketTotalsTask()));
    }

    public List<TaskFamily> families() {
        return families;
    }

    /** The first family that recognises the text, if any. */
    public Optional<TaskFamily> find(String text) {
        if (text == null || text.isBlank()) return Optional.empty();
        for (TaskFamily family : families) {
            if (family.recognizes(text)) return Optional.of(family);
        }
        return Optional.empty();
    }

    public Optional<TaskFamily> byName(String name) {
        return families.stream().filter(f -> f.name().equals(name)).findFirst();
    }
}
