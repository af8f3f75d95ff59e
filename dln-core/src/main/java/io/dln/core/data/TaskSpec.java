package io.dln.core.data;

import io.dln.core.lm.OutputClasses;
import io.dln.core.loss.Loss;
import io.dln.core.loss.Losses;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the platform knows about a task besides its examples.
 *
 * @param path         where the data is, relative to the data sets directory (a file, or a
 *                     folder for {@link TaskFormat#ORDERED_PROMPT} and split JSON lines)
 * @param instruction  the instruction to start the output layer from ("" when none)
 * @param outputClasses the answer classes, or null for free-text answers
 * @param labelWords   raw label to target word, in class order, for data sets whose labels are
 *                     codes (ordered prompt's "0", Leopard's "Not Relevant"); empty when the
 *                     data's targets are used as they are
 * @param lossName     a name {@link Losses#byName} knows
 */
public record TaskSpec(String name, TaskFormat format, String path, String instruction,
                       OutputClasses outputClasses, Map<String, String> labelWords, String lossName) {

    public TaskSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(format, "format");
        instruction = instruction == null ? "" : instruction.strip();
        labelWords = labelWords == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(labelWords));
        lossName = lossName == null ? "exact_match" : lossName;
        Losses.byName(lossName);
        if (!labelWords.isEmpty() && outputClasses == null) {
            outputClasses = classesFor(labelWords.values());
        }
        if (outputClasses != null) {
            for (String word : labelWords.values()) {
                if (TargetClasses.indexOf(outputClasses, word) < 0) {
                    throw new IllegalArgumentException("task " + name + ": label word '" + word
                            + "' matches no single output class of " + outputClasses.protos());
                }
            }
        }
    }

    /** A task in the generic JSON lines format; instruction and classes may be null. */
    public static TaskSpec jsonLines(String name, String path, String instruction, OutputClasses outputClasses) {
        return new TaskSpec(name, TaskFormat.JSON_LINES, path, instruction, outputClasses, Map.of(), null);
    }

    public Loss loss() {
        return Losses.byName(lossName);
    }

    /** The distinct label words in order, e.g. [negative, positive]; empty when there are none. */
    public List<String> labelWordList() {
        return List.copyOf(new LinkedHashSet<>(labelWords.values()));
    }

    /** One class per distinct label word: the word as written, then capitalised ("negative|Negative"). */
    static OutputClasses classesFor(Collection<String> words) {
        List<String> protos = new ArrayList<>();
        for (String word : new LinkedHashSet<>(words)) {
            String capitalised = word.isEmpty() ? word : Character.toUpperCase(word.charAt(0)) + word.substring(1);
            protos.add(capitalised.equals(word) ? word : word + "|" + capitalised);
        }
        return new OutputClasses(protos);
    }
}
