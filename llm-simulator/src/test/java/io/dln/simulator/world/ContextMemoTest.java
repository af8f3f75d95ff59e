package io.dln.simulator.world;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dln.tasks.NavigateTask;
import io.dln.tasks.TaskExample;
import io.dln.tasks.TaskFamily;
import io.dln.tasks.TaskWorld;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The model memoizes what it reads from a context and the echo scores of the context's tokens: a prompt gets the same
 * scene, samples and echo whether its context was seen before (with other continuations, other top-k) or not.
 */
class ContextMemoTest extends WorldFixture {

    private final TaskFamily navigate = new NavigateTask();

    @Test
    void aContextSeenBeforeAnswersAsAFreshOne() {
        List<String> prompts = new ArrayList<>();
        for (TaskExample e : navigate.generate(41, 3)) {
            String hidden = Templates.hidden("", e.input());
            prompts.add(hidden);
            prompts.add(hidden + greedy(hidden));
            prompts.add(hidden + "Something else entirely.\n### Answer\nYes");
            prompts.add(Templates.forward(navigate.initialInstruction(), Templates.residual(e.input(), greedy(hidden))));
            prompts.add(Templates.forward(navigate.initialInstruction(), e.input()) + "No");
            prompts.add("no template at all: " + e.input());
        }
        List<String> warm = new ArrayList<>();
        for (String prompt : prompts) warm.add(answers(model, prompt));
        for (int i = 0; i < prompts.size(); i++) {
            SimulatedModel fresh = new SimulatedModel(TaskWorld.standard(), WorldTuning.DEFAULT, 42);
            assertEquals(answers(fresh, prompts.get(i)), warm.get(i), prompts.get(i));
        }
    }

    /** Everything a completions request can ask of a prompt, as text. */
    private static String answers(SimulatedModel model, String prompt) {
        StringBuilder sb = new StringBuilder();
        for (int k : new int[]{0, 1, 5}) {
            Scene scene = model.read(prompt);
            sb.append(scene.kind()).append(scene.boundary()).append(model.echo(scene, prompt, k));
            sb.append(model.generate(scene, prompt, 0.7, 3L, k, 64, List.of("###"), k));
        }
        return sb.toString();
    }
}
