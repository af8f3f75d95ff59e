package io.dln.tasks;

import java.util.List;

/**
 * A kind of task the LLM simulator understands: it can generate examples, solve them, recognise
 * its inputs, and tell how an instruction or an analysis text bears on getting them right.
 */
public interface TaskFamily {

    String name();

    /** One line saying what the task is. */
    String description();

    /** {@code count} examples drawn from a generator seeded with {@code seed}; same seed, same examples. */
    List<TaskExample> generate(long seed, int count);

    /** The true answer (a class prototype) for an input of this family. */
    String solve(String input);

    /** Whether this text is, or contains, an input of this family. */
    boolean recognizes(String text);

    /** Output classes, each its verbalizers joined by '|', the first being the prototype. */
    List<String> outputClasses();

    /** A plain starting instruction that carries none of the insights. */
    String initialInstruction();

    List<Insight> insights();

    /** Accuracy of a one-layer answer whose instruction carries no insight. */
    double baseAccuracy();

    /** Chance that an analysis written with an instruction carrying no insight states the right intermediate result. */
    double baseReasoning();

    /** The intermediate result an analysis should reach, as text (e.g. a final position or a sum). */
    String intermediate(String input);

    /** Whether the analysis states the right intermediate result, a wrong one, or none. */
    Judgement judge(String input, String analysis);

    default boolean statesIntermediate(String input, String analysis) {
        return judge(input, analysis) == Judgement.RIGHT;
    }

    /**
     * Analysis texts for an input, each a single paragraph: when {@code right}, several phrasings of the
     * correct working; otherwise the same phrasings of a few typical mistakes. Fixed for a given input.
     */
    List<String> analyses(String input, boolean right);

    /**
     * The first paragraph of a written analysis: it sets out what the input gives and asks and works nothing out,
     * so the result the output layer needs is only in the paragraph that follows (as in a real model's analysis).
     * An analysis cut at its first blank line states nothing.
     */
    default String opening(String input) {
        return "First the facts, then the working.";
    }

    /** An analysis as the model writes it: the opening paragraph, a blank line, then the working. */
    default String written(String input, String working) {
        return opening(input) + "\n\n" + working;
    }

    /** The prototype of each output class, in order. */
    default List<String> prototypes() {
        return outputClasses().stream().map(c -> c.split("\\|")[0]).toList();
    }

    /** The index of the class one of whose verbalizers equals {@code answer} (ignoring case and edges), or -1. */
    default int classIndex(String answer) {
        String wanted = answer.strip();
        while (wanted.endsWith(".") || wanted.endsWith("!")) wanted = wanted.substring(0, wanted.length() - 1);
        List<String> classes = outputClasses();
        for (int i = 0; i < classes.size(); i++) {
            for (String v : classes.get(i).split("\\|")) {
                if (v.equalsIgnoreCase(wanted)) return i;
            }
        }
        return -1;
    }
}
