package io.dln.core.data;

import io.dln.core.lm.OutputClasses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Datasets#userData}: a user's file or folder of JSON lines or CSV. */
class UserDataTest {

    private static final OutputClasses YES_NO = OutputClasses.of("yes|Yes", "no|No");
    private static final TaskSpec TASK = TaskSpec.jsonLines("mine", "mine", "Answer yes or no.", YES_NO);

    private static List<String> jsonLines(int count, int from) {
        List<String> lines = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            lines.add("{\"input\": \"item " + i + "\", \"target\": \"" + (i % 2 == 0 ? "Yes" : "no") + "\"}");
        }
        return lines;
    }

    @Test
    void aFileIsSplitBySeedIntoTheGivenSizes(@TempDir Path dir) throws IOException {
        Path file = Files.write(dir.resolve("mine.jsonl"), jsonLines(50, 0));

        Dataset sized = Datasets.userData(file, TASK, 3, 20, 10, 15);
        assertEquals(List.of(20, 10, 15), List.of(sized.train().size(), sized.dev().size(), sized.test().size()));
        assertEquals("Answer yes or no.", sized.instruction());
        assertEquals(YES_NO, sized.outputClasses());
        assertEquals(sized, Datasets.userData(file, TASK, 3, 20, 10, 15), "the same seed, the same split");

        Dataset fifths = Datasets.userData(file, TASK, 3, null, null, null);
        assertEquals(List.of(10, 10, 30), List.of(fifths.train().size(), fifths.dev().size(), fifths.test().size()));

        Dataset restTest = Datasets.userData(file, TASK, 3, 30, 15, 100);
        assertEquals(5, restTest.test().size(), "test takes what is left, up to its size");

        DataFormatException tooFew = assertThrows(DataFormatException.class, () -> Datasets.userData(file, TASK, 3, 40, 10, null));
        assertTrue(tooFew.getMessage().contains("has 50 examples: too few for 40 train, 10 dev and at least 1 test example"),
                tooFew.getMessage());
    }

    @Test
    void aCsvFileHasAHeaderAndQuotedFields(@TempDir Path dir) throws IOException {
        List<String> lines = new ArrayList<>(List.of("id,Target,input"));
        for (int i = 0; i < 10; i++) lines.add(i + "," + (i % 2 == 0 ? "yes" : "No") + ",\"item " + i + ", quoted \"\"x\"\"\"");
        lines.add("10,yes,\"two\nlines\"");
        Path file = Files.write(dir.resolve("mine.csv"), lines);

        Dataset dataset = Datasets.userData(file, TASK, 1, 4, 4, null);
        List<Example> all = new ArrayList<>(dataset.train());
        all.addAll(dataset.dev());
        all.addAll(dataset.test());
        assertEquals(11, all.size());
        assertTrue(all.contains(new Example("item 3, quoted \"x\"", "No")), all.toString());
        assertTrue(all.contains(new Example("two\nlines", "yes")), all.toString());
    }

    @Test
    void aFolderHasATrainADevAndATestFileOfEitherFormat(@TempDir Path dir) throws IOException {
        Files.write(dir.resolve("train.jsonl"), jsonLines(12, 0));
        Files.write(dir.resolve("dev.csv"), List.of("input,target", "d1,yes", "d2,no", "d3,yes"));
        Files.write(dir.resolve("test.jsonl"), jsonLines(5, 100));

        Dataset dataset = Datasets.userData(dir, TASK, 7, null, null, null);
        assertEquals(List.of(12, 3, 5), List.of(dataset.train().size(), dataset.dev().size(), dataset.test().size()));
        assertEquals(new Example("d1", "yes"), dataset.dev().getFirst(), "the files' own order");

        Dataset capped = Datasets.userData(dir, TASK, 7, 6, null, 2);
        assertEquals(List.of(6, 3, 2), List.of(capped.train().size(), capped.dev().size(), capped.test().size()));

        Files.delete(dir.resolve("test.jsonl"));
        DataFormatException missing = assertThrows(DataFormatException.class, () -> Datasets.userData(dir, TASK, 7, null, null, null));
        assertTrue(missing.getMessage().contains("has no test.jsonl or test.csv"), missing.getMessage());
    }

    @Test
    void rowsThatNameTheirSplitKeepIt(@TempDir Path dir) throws IOException {
        List<String> lines = new ArrayList<>(List.of("input,target,split"));
        for (int i = 0; i < 12; i++) lines.add("item " + i + "," + (i % 2 == 0 ? "yes" : "no") + "," + (i < 6 ? "train" : i < 9 ? "dev" : "TEST"));
        Path file = Files.write(dir.resolve("split.csv"), lines);
        Dataset dataset = Datasets.userData(file, TASK, 1, null, 2, null);
        assertEquals(List.of(6, 2, 3), List.of(dataset.train().size(), dataset.dev().size(), dataset.test().size()));
        assertEquals(new Example("item 0", "yes"), dataset.train().getFirst());

        lines.set(5, "item 4,yes,");
        Path missing = Files.write(dir.resolve("missing.csv"), lines);
        assertEquals(missing + ", line 6, field \"split\": empty split",
                assertThrows(DataFormatException.class, () -> Datasets.userData(missing, TASK, 1, null, null, null)).getMessage());
    }

    @Test
    void badRowsFailWithFileLineAndField(@TempDir Path dir) throws IOException {
        Path noTarget = Files.write(dir.resolve("a.csv"), List.of("input,target", "x,yes", "y,", "z,no"));
        assertEquals(noTarget + ", line 3, field \"target\": empty target",
                assertThrows(DataFormatException.class, () -> Datasets.userData(noTarget, TASK, 1, 1, 1, null)).getMessage());

        Path noColumn = Files.write(dir.resolve("b.csv"), List.of("text,target", "x,yes"));
        assertEquals(noColumn + ", line 1, field \"input\": the header has no input column",
                assertThrows(DataFormatException.class, () -> Datasets.userData(noColumn, TASK, 1, 1, 1, null)).getMessage());

        Path ragged = Files.write(dir.resolve("c.csv"), List.of("input,target", "x,yes", "y,no,extra"));
        assertTrue(assertThrows(DataFormatException.class, () -> Datasets.userData(ragged, TASK, 1, 1, 1, null)).getMessage()
                .startsWith(ragged + ", line 3: has 3 fields, the header (line 1) has 2"));

        List<String> lines = new ArrayList<>(jsonLines(6, 0));
        lines.add("{\"input\": \"w\", \"target\": \"maybe\"}");
        Path outsideClasses = Files.write(dir.resolve("d.jsonl"), lines);
        assertEquals(outsideClasses + ", line 7, field \"target\": target 'maybe' matches no single output class of [yes|Yes, no|No]",
                assertThrows(DataFormatException.class, () -> Datasets.userData(outsideClasses, TASK, 1, 1, 1, null)).getMessage());
    }
}
