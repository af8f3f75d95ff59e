package io.dln.gateway.datasets;

import io.dln.core.data.Example;
import io.dln.core.data.TargetClasses;
import io.dln.core.lm.OutputClasses;
import io.dln.gateway.common.FieldProblem;
import io.dln.gateway.common.StorableText;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Checks every row of an upload as it is read, collecting problems (the first {@code maxProblems} are kept, all are
 * counted), then splits the examples: by the rows' own split field when they have one, else by a seeded shuffle
 * into fifths (train, dev, the rest test), as the BBH loader of dln-core splits.
 */
final class UploadCheck implements RowSink {

    static final List<String> SPLITS = List.of("train", "dev", "test");

    private final OutputClasses classes;
    private final int maxProblems;
    private final int maxExamples;
    private final List<FieldProblem> problems = new ArrayList<>();
    private final List<Example> examples = new ArrayList<>();
    private final List<String> splits = new ArrayList<>();
    private final List<Integer> lines = new ArrayList<>();
    private int problemCount;

    UploadCheck(OutputClasses classes, int maxProblems, int maxExamples) {
        this.classes = classes;
        this.maxProblems = maxProblems;
        this.maxExamples = maxExamples;
    }

    @Override
    public void problem(Integer line, String field, String message) {
        problemCount++;
        if (problems.size() < maxProblems) problems.add(new FieldProblem(field == null ? "row" : field, message, line));
    }

    @Override
    public void row(UploadRow row) {
        int before = problemCount;
        String input = required(row, "input", row.input());
        String target = required(row, "target", row.target());
        String split = row.split() == null || row.split().isBlank() || row.split() == JsonFields.INVALID ? null : row.split().strip().toLowerCase(Locale.ROOT);
        if (split != null && !SPLITS.contains(split)) {
            problem(row.line(), row.fieldPrefix() + "split", "must be train, dev or test"
                    + (StorableText.problem(row.split()) == null && row.split().length() <= 40 ? ", was '" + row.split() + "'" : ""));
        }
        if (target != null && classes != null && TargetClasses.indexOf(classes, target) < 0) {
            problem(row.line(), row.fieldPrefix() + "target", "'" + target + "' matches no single output class of " + classes.protos());
        }
        if (examples.size() == maxExamples) {
            problem(row.line(), null, "more than " + maxExamples + " examples");
        }
        if (problemCount == before && examples.size() < maxExamples) {
            examples.add(new Example(input, target));
            splits.add(split);
            lines.add(row.line());
        }
    }

    List<FieldProblem> problems() {
        return problems;
    }

    int problemCount() {
        return problemCount;
    }

    /** Train, dev and test, after the checks that need all rows; empty when there are problems. */
    List<List<Example>> split(long seed) {
        boolean anySplit = splits.stream().anyMatch(s -> s != null);
        if (anySplit) {
            for (int i = 0; i < splits.size(); i++) {
                if (splits.get(i) == null) problem(lines.get(i), "split", "missing: other rows give their split, so every row must");
            }
        }
        if (problemCount > 0) return List.of();
        List<List<Example>> result = anySplit ? bySplitField() : byFifths(seed);
        for (int s = 0; s < SPLITS.size(); s++) {
            if (result.get(s).isEmpty()) {
                problem(null, "split", "the " + SPLITS.get(s) + " split is empty (" + examples.size() + " examples"
                        + (anySplit ? " with their own splits)" : "; a seeded split needs at least 5)"));
            }
        }
        return problemCount > 0 ? List.of() : result;
    }

    private List<List<Example>> bySplitField() {
        List<List<Example>> result = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (int i = 0; i < examples.size(); i++) result.get(SPLITS.indexOf(splits.get(i))).add(examples.get(i));
        return result;
    }

    private List<List<Example>> byFifths(long seed) {
        List<Example> shuffled = new ArrayList<>(examples);
        Random random = new Random(seed);
        for (int i = shuffled.size() - 1; i > 0; i--) Collections.swap(shuffled, i, random.nextInt(i + 1));
        int fifth = shuffled.size() / 5;
        return List.of(shuffled.subList(0, fifth), shuffled.subList(fifth, 2 * fifth), shuffled.subList(2 * fifth, shuffled.size()));
    }

    private String required(UploadRow row, String field, String value) {
        if (value == JsonFields.INVALID) return null;
        if (value == null) {
            problem(row.line(), row.fieldPrefix() + field, "missing");
            return null;
        }
        if (value.isBlank()) {
            problem(row.line(), row.fieldPrefix() + field, "must not be empty");
            return null;
        }
        String unstorable = StorableText.problem(value);
        if (unstorable != null) {
            problem(row.line(), row.fieldPrefix() + field, unstorable);
            return null;
        }
        return value;
    }
}
