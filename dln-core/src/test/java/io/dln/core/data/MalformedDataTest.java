package io.dln.core.data;

import io.dln.core.lm.OutputClasses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad data fails naming the file, the place in it and the field. */
class MalformedDataTest {

    private static final TaskSpec LETTERS = new TaskSpec("letters", TaskFormat.BBH, "x.json", null,
            OutputClasses.of("a|A|(A)", "b|B|(B)"), null, null);
    private static final TaskSpec MPQA = TaskCatalog.builtIn().get("mpqa");
    private static final TaskSpec DISASTER = TaskCatalog.builtIn().get("disaster");
    private static final LoadOptions SEED = LoadOptions.seed(1);

    @Test
    void bbhMissingTarget() {
        DataFormatException e = fails("bbh/missing_target.json", () -> bbh("bbh/missing_target.json"),
                "examples[1] (line 5, column 5), field \"target\": missing");
        assertEquals("target", e.field());
        assertEquals("examples[1] (line 5, column 5)", e.where());
        assertEquals(TestFiles.path("bbh/missing_target.json"), e.file());
    }

    @Test
    void bbhEmptyTarget() {
        fails("bbh/empty_target.json", () -> bbh("bbh/empty_target.json"), "examples[2] (line 6, column 5), field \"target\": empty target");
    }

    @Test
    void bbhTargetOutsideTheClasses() {
        fails("bbh/unknown_class.json", () -> bbh("bbh/unknown_class.json"),
                "examples[3] (line 7, column 5), field \"target\": target '(C)' matches no single output class of [a|A|(A), b|B|(B)]");
    }

    @Test
    void bbhMalformedJson() {
        fails("bbh/malformed.json", () -> bbh("bbh/malformed.json"), "line 4, column");
        fails("bbh/malformed.json", () -> bbh("bbh/malformed.json"), "malformed JSON");
    }

    @Test
    void bbhWithoutExamples() {
        fails("bbh/no_examples.json", () -> bbh("bbh/no_examples.json"), "field \"examples\": missing");
    }

    @Test
    void bbhExampleThatIsNoObject() {
        fails("bbh/not_object.json", () -> bbh("bbh/not_object.json"), "examples[1] (line 4, column 5): expected a JSON object, found STRING");
    }

    @Test
    void bbhTooSmallToSplit() {
        fails("bbh/too_few.json", () -> bbh("bbh/too_few.json"), "the train split is empty (3 examples are too few to split)");
    }

    @Test
    void orderedPromptLabelOutsideTheLabelWords() {
        fails("ordered/bad_label/train.jsonl", () -> ordered("ordered/bad_label"), "line 3, field \"label\": label '2' is not one of [0, 1]");
    }

    @Test
    void orderedPromptMalformedLine() {
        fails("ordered/malformed/dev_subsample.jsonl", () -> ordered("ordered/malformed"), "line 2, column");
        fails("ordered/malformed/dev_subsample.jsonl", () -> ordered("ordered/malformed"), "malformed JSON");
    }

    @Test
    void orderedPromptEmptySplit() {
        DataFormatException e = fails("ordered/empty_test/test.jsonl", () -> ordered("ordered/empty_test"), "the test split is empty");
        assertEquals(null, e.where());
    }

    @Test
    void orderedPromptMissingSentence() {
        fails("ordered/missing_sentence/train.jsonl", () -> ordered("ordered/missing_sentence"), "line 2, field \"sentence\": missing");
    }

    @Test
    void leopardLabelOutsideTheLabelWords() {
        fails("leopard/unknown_label.json", () -> leopard("leopard/unknown_label.json"),
                "[4] (line 6, column 3), field \"label\": label 'Maybe' is not one of [Relevant, Not Relevant]");
    }

    @Test
    void leopardMissingSentence() {
        fails("leopard/missing_sentence.json", () -> leopard("leopard/missing_sentence.json"), "[2] (line 4, column 3), field \"sentence1\": missing");
    }

    @Test
    void leopardFileThatIsNoList() {
        fails("leopard/not_array.json", () -> leopard("leopard/not_array.json"), "expected a JSON array at the top level");
    }

    @Test
    void jsonLinesEmptyTarget() {
        fails("jsonl/empty_target.jsonl", () -> jsonLines("jsonl/empty_target.jsonl"), "line 3, field \"target\": empty target");
    }

    @Test
    void jsonLinesLineThatIsNoObject() {
        fails("jsonl/not_object.jsonl", () -> jsonLines("jsonl/not_object.jsonl"), "line 2: expected a JSON object, found ARRAY");
    }

    @Test
    void jsonLinesTargetThatIsNoString() {
        fails("jsonl/object_target.jsonl", () -> jsonLines("jsonl/object_target.jsonl"), "line 3, field \"target\": must be a string, not OBJECT");
    }

    private static DataFormatException fails(String file, Executable load, String expected) {
        DataFormatException e = assertThrows(DataFormatException.class, load);
        assertTrue(e.getMessage().startsWith(TestFiles.path(file).toString()), e.getMessage());
        assertTrue(e.getMessage().contains(expected), () -> "expected '" + expected + "' in: " + e.getMessage());
        return e;
    }

    private static void bbh(String file) {
        Datasets.bbh(TestFiles.path(file), LETTERS, SEED);
    }

    private static void ordered(String folder) {
        Datasets.orderedPrompt(TestFiles.path(folder), MPQA, SEED);
    }

    private static void leopard(String file) {
        Datasets.leopard(TestFiles.path(file), DISASTER, SEED);
    }

    private static void jsonLines(String file) {
        Datasets.jsonLines(TestFiles.path(file), "t", null, null, 1);
    }
}
