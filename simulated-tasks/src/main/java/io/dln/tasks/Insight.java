package io.dln.tasks;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A statement an instruction can contain that makes the simulated model better at a task.
 *
 * @param id       short stable name
 * @param kind     which layer it helps
 * @param keywords lower-case phrases; the insight counts as present when any of them occurs in the instruction
 * @param sentence the sentence a prompt proposal adds to an instruction to bring the insight in
 * @param gain     how much it raises the chance of being right (accuracy for answers, right
 *                 intermediate result for analyses)
 */
public record Insight(String id, InsightKind kind, List<String> keywords, String sentence, double gain) {

    public Insight {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        keywords = keywords.stream().map(k -> k.toLowerCase(Locale.ROOT)).toList();
        if (keywords.isEmpty()) throw new IllegalArgumentException("insight " + id + " has no keyword");
        Objects.requireNonNull(sentence, "sentence");
    }

    public static Insight reasoning(String id, double gain, String sentence, String... keywords) {
        return new Insight(id, InsightKind.REASONING, List.of(keywords), sentence, gain);
    }

    public static Insight answer(String id, double gain, String sentence, String... keywords) {
        return new Insight(id, InsightKind.ANSWER, List.of(keywords), sentence, gain);
    }

    public boolean presentIn(String instruction) {
        if (instruction == null || instruction.isEmpty()) return false;
        return presentInSquashed(Texts.squash(instruction));
    }

    /** {@link #presentIn} for a text already passed through {@link Texts#squash}. */
    public boolean presentInSquashed(String squashed) {
        for (String keyword : keywords) {
            if (squashed.contains(keyword)) return true;
        }
        return false;
    }
}
