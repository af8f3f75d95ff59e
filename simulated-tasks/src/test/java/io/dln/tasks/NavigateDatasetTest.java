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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The navigate solver against the 250 BIG-Bench-Hard examples in the shared data directory. */
class NavigateDatasetTest {

    private static List<TaskExample> examples;
    /** Why the tests are skipped, when the data is absent. */
    private static String missing;
    private final NavigateTask task = new NavigateTask();

    @BeforeAll
    static void load() throws Exception {
        String dir = System.getProperty("dln.datasets.dir");
        Path file = dir == null ? null : Path.of(dir, "bbh", "navigate.json");
        if (file == null || !Files.isRegularFile(file)) {
            missing = "BBH navigate data not found at " + file
                    + " (set system property dln.datasets.dir to the shared datasets directory)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) fail(missing);
            System.out.println("[simulated-tasks] NavigateDatasetTest: its 3 tests are skipped: " + missing);
            return;
        }
        examples = BbhFile.read(file);
    }

    /** Each test, not the class, is skipped, so that the reports count them as skipped, with the reason. */
    @BeforeEach
    void needsTheData() {
        Assumptions.assumeTrue(missing == null, missing);
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
