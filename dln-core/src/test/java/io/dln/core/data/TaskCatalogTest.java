package io.dln.core.data;

import io.dln.core.loss.ExactMatchLoss;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TaskCatalogTest {

    private final TaskCatalog catalog = TaskCatalog.builtIn();

    @Test
    void knowsThePaperTasksAndMore() {
        assertEquals(List.of("navigate", "date_understanding", "hyperbaton", "logical_deduction_seven_objects",
                "boolean_expressions", "causal_judgement", "disambiguation_qa", "formal_fallacies", "snarks",
                "sports_understanding", "web_of_lies", "mpqa", "subj", "trec", "airline", "disaster"), catalog.names());
    }

    @Test
    void everyTaskHasAnInstructionClassesAndALoss() {
        for (TaskSpec task : catalog.tasks()) {
            assertFalse(task.instruction().isBlank(), task.name());
            assertNotNull(task.outputClasses(), task.name());
            assertInstanceOf(ExactMatchLoss.class, task.loss(), task.name());
        }
    }

    @Test
    void multipleChoiceClassesAnswerWithTheLetter() {
        TaskSpec task = catalog.get("logical_deduction_seven_objects");
        assertEquals(TaskFormat.BBH, task.format());
        assertEquals("bbh/logical_deduction_seven_objects.json", task.path());
        assertEquals(7, task.outputClasses().size());
        assertEquals("g", task.outputClasses().prototype(6));
        assertEquals(List.of("g", "G", "(G)"), task.outputClasses().verbalizers(6));
    }

    @Test
    void labelWordTasksGetOneClassPerWord() {
        assertEquals(List.of("negative|Negative", "positive|Positive"), catalog.get("mpqa").outputClasses().protos());
        assertEquals(List.of("subjective|Subjective", "objective|Objective"), catalog.get("subj").outputClasses().protos());
        assertEquals(List.of("description|Description", "entity|Entity", "expression|Expression", "human|Human",
                "location|Location", "number|Number"), catalog.get("trec").outputClasses().protos());
        assertEquals(Map.of("0", "description", "1", "entity", "2", "expression", "3", "human", "4", "location", "5", "number"),
                catalog.get("trec").labelWords());
        assertEquals(List.of("negative|Negative", "neutral|Neutral", "positive|Positive"), catalog.get("airline").outputClasses().protos());
        TaskSpec disaster = catalog.get("disaster");
        assertEquals(Map.of("Relevant", "yes", "Not Relevant", "no"), disaster.labelWords());
        assertEquals(List.of("yes|Yes", "no|No"), disaster.outputClasses().protos());
        assertEquals(List.of("yes", "no"), disaster.labelWordList());
    }

    @Test
    void anUnknownTaskIsRefusedWithTheKnownNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> catalog.get("squad"));
        assertTrue(e.getMessage().contains("'squad'") && e.getMessage().contains("navigate, date_understanding"), e.getMessage());
        assertTrue(catalog.find("squad").isEmpty());
    }

    @Test
    void readsACatalogueOfOnesOwn() {
        TaskCatalog own = read("""
                tasks:
                  sums:
                    format: json_lines
                    path: sums.jsonl
                    loss: number_presence
                """);
        TaskSpec sums = own.get("sums");
        assertEquals(TaskFormat.JSON_LINES, sums.format());
        assertEquals("", sums.instruction());
        assertEquals(null, sums.outputClasses());
        assertEquals("number_presence", sums.lossName());
    }

    @Test
    void refusesBadEntriesNamingTheTask() {
        assertRefused("unknown key 'clases'", """
                tasks:
                  t: {format: bbh, path: t.json, clases: ["a"]}
                """);
        assertRefused("unknown format 'csv'", """
                tasks:
                  t: {format: csv, path: t.csv}
                """);
        assertRefused("'path' is required", """
                tasks:
                  t: {format: bbh}
                """);
        assertRefused("label word 'maybe' matches no single output class", """
                tasks:
                  t: {format: leopard, path: t.json, labels: {"0": "yes", "1": maybe}, classes: ["yes|Yes", "no|No"]}
                """);
        assertRefused("label word true must be a string", """
                tasks:
                  t: {format: leopard, path: t.json, labels: {"0": yes, "1": no}}
                """);
        assertRefused("unknown loss 'f1'", """
                tasks:
                  t: {format: bbh, path: t.json, loss: f1}
                """);
    }

    private static void assertRefused(String expected, String yaml) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> read(yaml));
        assertTrue(e.getMessage().contains("test.yaml: task t: ") && e.getMessage().contains(expected), e.getMessage());
    }

    private static TaskCatalog read(String yaml) {
        return TaskCatalog.read(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test.yaml");
    }
}
