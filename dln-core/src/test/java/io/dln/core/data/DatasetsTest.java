package io.dln.core.data;

import io.dln.core.lm.OutputClasses;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The loaders on small files of the test resources. */
class DatasetsTest {

    private static final TaskSpec LETTERS = new TaskSpec("letters", TaskFormat.BBH, "tiny.json", "Pick a side.",
            OutputClasses.of("a|A|(A)", "b|B|(B)"), null, null);

    @Test
    void bbhIsSplitInFifthsBySeed() {
        Path file = TestFiles.path("bbh/tiny.json");
        Dataset dataset = Datasets.bbh(file, LETTERS, LoadOptions.seed(1));
        assertEquals("letters", dataset.name());
        assertEquals("Pick a side.", dataset.instruction());
        assertSizes(dataset, 2, 2, 6);
        assertSameExamples(Datasets.examples(file.getParent(), LETTERS, LoadOptions.seed(1)), all(dataset));
        assertEquals(0, dataset.classIndexOf("(A)"));
    }

    @Test
    void theSameSeedGivesTheSameSplitAndAnotherSeedAnother() {
        Path file = TestFiles.path("bbh/tiny.json");
        Dataset one = Datasets.bbh(file, LETTERS, LoadOptions.seed(1));
        assertEquals(one, Datasets.bbh(file, LETTERS, LoadOptions.seed(1)));
        assertNotEquals(one.test(), Datasets.bbh(file, LETTERS, LoadOptions.seed(2)).test());
    }

    @Test
    void capsKeepTheFirstExamplesOfEachSplit() {
        Path file = TestFiles.path("bbh/tiny.json");
        Dataset full = Datasets.bbh(file, LETTERS, LoadOptions.seed(3));
        Dataset capped = Datasets.bbh(file, LETTERS, LoadOptions.seed(3).withCaps(1, 5, 4));
        assertSizes(capped, 1, 2, 4);
        assertEquals(full.test().subList(0, 4), capped.test());
    }

    @Test
    void orderedPromptKeepsTheFilesSplitsAndMapsLabelsToWords() {
        TaskSpec mpqa = TaskCatalog.builtIn().get("mpqa");
        Dataset dataset = Datasets.orderedPrompt(TestFiles.path("ordered/good"), mpqa, LoadOptions.seed(1));
        assertSizes(dataset, 12, 4, 6);
        assertEquals(new Example("phrase 0\nOptions:\n- negative\n- positive", "negative"), dataset.train().get(0));
        assertEquals("positive", dataset.test().get(1).target());

        Dataset plain = Datasets.orderedPrompt(TestFiles.path("ordered/good"), mpqa, LoadOptions.seed(1).withAppendOptions(false));
        assertEquals(new Example("dev phrase 1", "positive"), plain.dev().get(1));
    }

    @Test
    void orderedPromptCapsAreSeededSubsamples() {
        TaskSpec mpqa = TaskCatalog.builtIn().get("mpqa");
        Path folder = TestFiles.path("ordered/good");
        Dataset full = Datasets.orderedPrompt(folder, mpqa, LoadOptions.seed(1));
        Dataset capped = Datasets.orderedPrompt(folder, mpqa, LoadOptions.seed(1).withCaps(5, 10, 3));
        assertSizes(capped, 5, 4, 3);
        assertEquals(full.dev(), capped.dev());
        assertTrue(full.train().containsAll(capped.train()));
        assertEquals(capped, Datasets.orderedPrompt(folder, mpqa, LoadOptions.seed(1).withCaps(5, 10, 3)));
        assertNotEquals(capped.train(), Datasets.orderedPrompt(folder, mpqa, LoadOptions.seed(2).withCaps(5, 10, 3)).train());
    }

    @Test
    void aNumericLabelIsReadAsItsText() {
        Dataset dataset = Datasets.orderedPrompt(TestFiles.path("ordered/numeric_label"), TaskCatalog.builtIn().get("mpqa"),
                LoadOptions.seed(1).withAppendOptions(false));
        assertEquals(new Example("phrase 3", "positive"), dataset.train().get(3));
    }

    @Test
    void leopardLabelsBecomeTheirWords() {
        TaskSpec disaster = TaskCatalog.builtIn().get("disaster");
        Path file = TestFiles.path("leopard/tiny.json");
        List<Example> examples = Datasets.examples(file.getParent(), withPath(disaster, "tiny.json"), LoadOptions.seed(1));
        assertEquals(new Example("tweet 0\nOptions:\n- yes\n- no", "yes"), examples.get(0));
        assertEquals("no", examples.get(1).target());
        // Fewer than the 1500 examples Leopard splits sample: split in fifths.
        Dataset dataset = Datasets.leopard(file, disaster, LoadOptions.seed(1));
        assertSizes(dataset, 2, 2, 6);
        assertSameExamples(examples, all(dataset));
    }

    @Test
    void jsonLinesFromOneFileOrThree() {
        Dataset one = Datasets.jsonLines(TestFiles.path("jsonl/tiny.jsonl"), "sums", null, null, 5);
        assertSizes(one, 2, 2, 6);
        assertFalse(one.hasOutputClasses());
        assertEquals("", one.instruction());
        assertEquals(one, Datasets.jsonLines(TestFiles.path("jsonl/with_blank_lines.jsonl"), "sums", null, null, 5));

        Path split = TestFiles.path("jsonl/split");
        Dataset three = Datasets.jsonLines(split.resolve("train.jsonl"), split.resolve("dev.jsonl"), split.resolve("test.jsonl"),
                TaskSpec.jsonLines("sums", "split", "Add.", null), LoadOptions.seed(5));
        assertSizes(three, 5, 2, 3);
        assertEquals(new Example("What is 0 plus 0?", "0"), three.train().get(0));
        assertEquals("Add.", three.instruction());
    }

    @Test
    void jsonLinesTargetsMapToTheCallersClasses() {
        Dataset dataset = Datasets.jsonLines(TestFiles.path("jsonl/letters.jsonl"), "even", "Is it even?",
                OutputClasses.of("a|A", "b|B"), 1);
        for (Example example : all(dataset)) {
            assertEquals(example.target().equals("(A)") ? 0 : 1, dataset.classIndexOf(example.target()));
        }
        DataFormatException e = assertThrows(DataFormatException.class, () -> Datasets.jsonLines(
                TestFiles.path("jsonl/letters.jsonl"), "even", null, OutputClasses.of("yes", "no"), 1));
        assertTrue(e.getMessage().contains("line 1, field \"target\": target '(A)' matches no single output class of [yes, no]"),
                e.getMessage());
    }

    @Test
    void loadByNameFindsUnknownTasksInTheGenericFormat() {
        Path dir = TestFiles.path("jsonl");
        assertSizes(Datasets.load(dir, "tiny", 1), 2, 2, 6);
        assertSizes(Datasets.load(dir, "split", 1), 5, 2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Datasets.load(dir, "nothing", 1));
        assertTrue(e.getMessage().contains("unknown task 'nothing'") && e.getMessage().contains("mpqa"), e.getMessage());
    }

    static void assertSizes(Dataset dataset, int train, int dev, int test) {
        assertEquals(List.of(train, dev, test), List.of(dataset.train().size(), dataset.dev().size(), dataset.test().size()),
                dataset.name() + " train/dev/test sizes");
    }

    static List<Example> all(Dataset dataset) {
        List<Example> all = new ArrayList<>(dataset.train());
        all.addAll(dataset.dev());
        all.addAll(dataset.test());
        return all;
    }

    /** Equal as multisets: the split neither lost nor repeated an example. */
    static void assertSameExamples(List<Example> expected, List<Example> actual) {
        Comparator<Example> order = Comparator.comparing(Example::input).thenComparing(Example::target);
        assertEquals(expected.stream().sorted(order).toList(), actual.stream().sorted(order).toList());
    }

    private static TaskSpec withPath(TaskSpec task, String path) {
        return new TaskSpec(task.name(), task.format(), path, task.instruction(), task.outputClasses(), task.labelWords(), task.lossName());
    }
}
