package io.dln.core.train;

import io.dln.core.model.ExampleOutcome;
import io.dln.core.model.HiddenSample;
import io.dln.core.model.NetworkPrompts;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class StepTraceTest {

    @Test
    void keepsShortTextsAsTheyAreAndCutsLongOnes() {
        String longInput = "x".repeat(StepTrace.MAX_TEXT + 500);
        ExampleOutcome example = new ExampleOutcome(longInput, "yes", null, "no", 1.0,
                List.of(new HiddenSample("y".repeat(StepTrace.MAX_TEXT), 0.25, -0.5, null)));

        StepTrace trace = StepTrace.of(new NetworkPrompts("", "before"), new NetworkPrompts("", "pinned"), List.of(example));

        StepTrace.TracedExample traced = trace.examples().getFirst();
        assertEquals("x".repeat(StepTrace.MAX_TEXT) + StepTrace.CUT_MARK, traced.input());
        assertEquals("y".repeat(StepTrace.MAX_TEXT), traced.posteriorSamples().getFirst().text(), "a text of exactly the limit is whole");
        assertEquals(0.25, traced.posteriorSamples().getFirst().weight());
        assertNull(traced.hidden());
        assertEquals(false, traced.correct());
        assertEquals("before", trace.previousIterationPrompts().p2());
        assertEquals("pinned", trace.promptsBefore().p2());
    }

    @Test
    void boundsTheExamplesAndSamplesWhateverTheSettings() {
        List<HiddenSample> samples = new ArrayList<>();
        for (int s = 0; s < StepTrace.MAX_SAMPLES + 3; s++) samples.add(new HiddenSample("h" + s, 0, null, null));
        List<ExampleOutcome> batch = new ArrayList<>();
        for (int i = 0; i < StepTrace.MAX_EXAMPLES + 7; i++) batch.add(new ExampleOutcome("in " + i, "t", "h", "o", 0, samples));

        StepTrace trace = StepTrace.of(new NetworkPrompts("a", "b"), new NetworkPrompts("a", "b"), batch);

        assertEquals(StepTrace.MAX_EXAMPLES + 7, trace.batchSize());
        assertEquals(StepTrace.MAX_EXAMPLES, trace.examples().size());
        assertEquals(StepTrace.MAX_SAMPLES, trace.examples().getLast().posteriorSamples().size());
        assertEquals(StepTrace.MAX_EXAMPLES - 1, trace.examples().getLast().index());
    }
}
