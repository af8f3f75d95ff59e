package io.dln.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The navigate solver against the 250 BIG-Bench-Hard examples in the shared data directory. */
class NavigateDatasetTest {

    private static List<TaskExample> examples;
    private final NavigateTask task = new NavigateTask();

    @BeforeAll
    static void load() throws Exception {
        String dir = System.getProperty("dln.datasets.dir");
        Path file = dir == null ? null : Path.of(dir, "bbh", "navigate.json");
        if (file == null || !Files.isRegularFile(file)) {
            String why = "BBH navigate data not found at " + file
                    + " (set system property dln.datasets.dir to the shared datasets directory)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) fail(why);
            System.out.println("SKIPPED: " + why);
            Assumptions.abort(why);
        }
        examples = BbhFile.read(file);
    }

    @Test
    void solvesEveryExample() {
        assertEquals(250, examples.size());
        for (TaskExample e : examples) {
            assertEquals(e.target(), task.solve(e.input()), e.input());
        }
    }

    @Test
    void recognisesEveryExampleAndNoOtherFamilyDoes() {
        TaskWorld world = TaskWorld.standard();
        for (TaskExample e : examples) {
            assertEquals("navigate", world.find(e.input()).orElseThrow().name(), e.input());
        }
        assertFalse(world.find("Is the sum of 2, 3 and 4 even or odd?").map(f -> f.name().equals("navigate")).orElse(false));
    }

    @Test
    void analysesOfRealExamplesAreJudgedAsWritten() {
        for (TaskExample e : examples) {
            for (String right : task.analyses(e.input(), true)) {
                assertEquals(Judgement.RIGHT, task.judge(e.input(), right), right);
            }
            for (String wrong : task.analyses(e.input(), false)) {
                assertEquals(Judgement.WRONG, task.judge(e.input(), wrong), wrong);
                assertFalse(wrong.contains("\n"));
            }
            assertTrue(task.judge(e.input(), "Let me think about the walk.") == Judgement.NONE);
        }
    }
}
