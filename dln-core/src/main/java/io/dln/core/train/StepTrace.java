package io.dln.core.train;

import io.dln.core.model.ExampleOutcome;
import io.dln.core.model.HiddenSample;
import io.dln.core.model.NetworkPrompts;

import java.util.ArrayList;
import java.util.List;

/**
 * What one training step saw, for people to look at (the Studio's step explorer, {@code dln runs trace}): the
 * prompts after the previous iteration, the prompts the step started from (they differ when a person's guidance
 * changed them in between), and the batch's examples with their forward pass and posterior samples h~.
 * <p>
 * Bounded, whatever the settings: at most {@value #MAX_EXAMPLES} examples ({@code batchSize} says how many the
 * batch had), at most {@value #MAX_SAMPLES} h~ per example, and every text of an example cut to its first
 * {@value #MAX_TEXT} characters followed by {@value #CUT_MARK}. Prompts are never cut.
 */
public record StepTrace(NetworkPrompts previousIterationPrompts, NetworkPrompts promptsBefore, int batchSize,
                        List<TracedExample> examples) {

    public static final int MAX_TEXT = 2000;
    public static final int MAX_EXAMPLES = 100;
    public static final int MAX_SAMPLES = 32;
    public static final String CUT_MARK = "…";

    public StepTrace {
        examples = List.copyOf(examples);
    }

    /** One example of the batch: {@code hidden} is the forward pass's hidden text (DLN-2) or null. */
    public record TracedExample(int index, String input, String target, String hidden, String output, boolean correct,
                                List<HiddenSample> posteriorSamples) {
    }

    public static StepTrace of(NetworkPrompts previousIterationPrompts, NetworkPrompts promptsBefore, List<ExampleOutcome> batch) {
        List<TracedExample> examples = new ArrayList<>(Math.min(batch.size(), MAX_EXAMPLES));
        for (int i = 0; i < Math.min(batch.size(), MAX_EXAMPLES); i++) {
            ExampleOutcome e = batch.get(i);
            List<HiddenSample> samples = e.posterior().stream().limit(MAX_SAMPLES)
                    .map(s -> new HiddenSample(cut(s.text()), s.weight(), s.logLikelihood(), s.logPrior()))
                    .toList();
            examples.add(new TracedExample(i, cut(e.input()), cut(e.target()), cut(e.hidden()), cut(e.output()), e.correct(), samples));
        }
        return new StepTrace(previousIterationPrompts, promptsBefore, batch.size(), examples);
    }

    static String cut(String text) {
        return text == null || text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT) + CUT_MARK;
    }
}
