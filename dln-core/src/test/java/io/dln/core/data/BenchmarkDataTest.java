package io.dln.core.data;

import io.dln.core.lm.OutputClasses;
import io.dln.core.loss.Loss;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.dln.core.data.DatasetsTest.all;
import static io.dln.core.data.DatasetsTest.assertSameExamples;
import static io.dln.core.data.DatasetsTest.assertSizes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The loaders on the shared benchmark data sets (skipped when absent, failing when CI=true). */
class BenchmarkDataTest {

    private static final TaskCatalog CATALOG = TaskCatalog.builtIn();

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "navigate, 250, 50, 150",
            "date_understanding, 250, 50, 150",
            "hyperbaton, 250, 50, 150",
            "logical_deduction_seven_objects, 250, 50, 150",
            "boolean_expressions, 250, 50, 150",
            "causal_judgement, 187, 37, 113",
            "disambiguation_qa, 250, 50, 150",
            "formal_fallacies, 250, 50, 150",
            "snarks, 178, 35, 108",
            "sports_understanding, 250, 50, 150",
            "web_of_lies, 250, 50, 150",
    })
    void bbhTasks(String task, int count, int trainAndDev, int test) {
        Path dir = SharedDatasets.dir();
        List<Example> examples = Datasets.examples(dir, CATALOG.get(task), LoadOptions.seed(0));
        assertEquals(count, examples.size());
        Dataset dataset = Datasets.load(dir, task, 0);
        assertSizes(dataset, trainAndDev, trainAndDev, test);
        assertSameExamples(examples, all(dataset));
        assertEveryTargetHasOneClassAndEveryClassATarget(dataset, examples);
    }

    @Test
    void bbhSplitsAreDeterministicBySeed() {
        Path dir = SharedDatasets.dir();
        Dataset one = Datasets.load(dir, "navigate", 1);
        assertEquals(one, Datasets.load(dir, "navigate", 1));
        Dataset other = Datasets.load(dir, "navigate", 2);
        assertNotEquals(one.train(), other.train());
        assertNotEquals(one.test(), other.test());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "mpqa, 8603, 256, 2000",
            "subj, 8000, 256, 2000",
            "trec, 5452, 256, 500",
    })
    void orderedPromptTasks(String task, int train, int dev, int test) {
        Dataset dataset = Datasets.load(SharedDatasets.dir(), task, 0);
        assertSizes(dataset, train, dev, test);
        TaskSpec spec = CATALOG.get(task);
        String options = "\nOptions:\n- " + String.join("\n- ", spec.labelWordList());
        assertTrue(dataset.train().stream().allMatch(e -> e.input().endsWith(options)), "options appended");
        assertEveryTargetHasOneClassAndEveryClassATarget(dataset, all(dataset));
    }

    @Test
    void orderedPromptCapsAreDeterministicBySeed() {
        Path dir = SharedDatasets.dir();
        LoadOptions paperSizes = LoadOptions.seed(1).withCaps(1000, 256, 250);
        Dataset one = Datasets.load(dir, "trec", paperSizes);
        assertSizes(one, 1000, 256, 250);
        assertEquals(one, Datasets.load(dir, "trec", paperSizes));
        Dataset other = Datasets.load(dir, "trec", LoadOptions.seed(2).withCaps(1000, 256, 250));
        assertNotEquals(one.train(), other.train());
        assertEquals(one.dev(), other.dev());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"airline, 7320", "disaster, 5430"})
    void leopardTasks(String task, int count) {
        Path dir = SharedDatasets.dir();
        List<Example> examples = Datasets.examples(dir, CATALOG.get(task), LoadOptions.seed(0));
        assertEquals(count, examples.size());
        Dataset dataset = Datasets.load(dir, task, 0);
        assertSizes(dataset, 1000, 250, 250);
        assertTrue(new HashSet<>(examples).containsAll(all(dataset)));
        assertEveryTargetHasOneClassAndEveryClassATarget(dataset, examples);

        assertEquals(dataset, Datasets.load(dir, task, 0));
        assertNotEquals(dataset.train(), Datasets.load(dir, task, 1).train());
    }

    /** Each target maps to exactly one class, whose prototype the task's loss accepts for it. */
    private static void assertEveryTargetHasOneClassAndEveryClassATarget(Dataset dataset, List<Example> examples) {
        OutputClasses classes = dataset.outputClasses();
        Loss loss = CATALOG.get(dataset.name()).loss();
        Set<Integer> seen = new HashSet<>();
        for (Example example : examples) {
            int index = dataset.classIndexOf(example.target());
            assertTrue(index >= 0, () -> dataset.name() + ": no class for target " + example.target());
            assertTrue(loss.isCorrect(classes.prototype(index), example.target()),
                    () -> dataset.name() + ": prototype " + classes.prototype(index) + " is not right for " + example.target());
            seen.add(index);
        }
        assertEquals(classes.size(), seen.size(), dataset.name() + ": classes without examples");
    }
}
