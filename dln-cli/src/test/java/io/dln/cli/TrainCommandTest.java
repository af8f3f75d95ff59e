package io.dln.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dln.testkit.SimulatorProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code dln train} against the LLM simulator running as a separate process. */
class TrainCommandTest {

    private static SimulatorProcess simulator;

    @BeforeAll
    static void startSimulator() {
        simulator = SimulatorProcess.start(Map.of());
    }

    @AfterAll
    static void stopSimulator() {
        simulator.close();
    }

    @Test
    void trainsAGeneratedTaskAndReportsAccuraciesPromptsAndTokens(@TempDir Path dir) throws Exception {
        Path checkpoint = dir.resolve("run.json");
        CliRun result = CliRun.of("train", "--base-url", simulator.baseUrl() + "/v1", "--model", "dln-simulator",
                "--task", "generated:sum-parity", "--iterations", "4", "--train-size", "40", "--dev-size", "40",
                "--test-size", "40", "--checkpoint", checkpoint.toString(), "--json");

        assertEquals(0, result.code(), result.err());
        JsonNode report = new ObjectMapper().readTree(result.out());
        assertTrue(report.get("bestDevAccuracy").asDouble() >= report.get("initialDevAccuracy").asDouble());
        assertTrue(report.get("testAccuracy").asDouble() > 0);
        assertTrue(report.get("tokensUsed").asLong() > 0);
        assertTrue(!report.get("p2").asText().isBlank());
        assertTrue(result.err().contains("iteration 4/4"), "the progress bar reached the end: " + result.err());
        assertTrue(Files.readString(checkpoint).contains("\"finished\":true"), "the last checkpoint is the finished state");

        CliRun resumed = CliRun.of("train", "--base-url", simulator.baseUrl() + "/v1", "--model", "dln-simulator",
                "--task", "generated:sum-parity", "--iterations", "4", "--train-size", "40", "--dev-size", "40",
                "--test-size", "40", "--checkpoint", checkpoint.toString(), "--json");
        assertEquals(0, resumed.code(), resumed.err());
        JsonNode again = new ObjectMapper().readTree(resumed.out());
        assertEquals(report.get("p2"), again.get("p2"), "resuming a finished checkpoint reports the same prompts");
    }

    @Test
    void settingsOutOfRangeOrAStepAboveTheCeilingEndTheCommandBeforeAnyCall() {
        CliRun outOfRange = CliRun.of("train", "--base-url", "http://127.0.0.1:9/v1", "--task", "generated:sum-parity",
                "--p-samples", "100000", "--h-samples", "0");
        assertEquals(2, outOfRange.code(), "invalid settings are a usage error: " + outOfRange.err());
        assertTrue(outOfRange.err().contains("hSamples must be within [1, 64], was 0"), outOfRange.err());
        assertTrue(outOfRange.err().contains("pSamples must be within [1, 64], was 100000"), outOfRange.err());

        // port 9 (discard) answers nothing: the refusal must come before the client's first call
        CliRun tooCostly = CliRun.of("train", "--base-url", "http://127.0.0.1:9/v1", "--task", "generated:sum-parity",
                "--layers", "2", "--max-calls-per-step", "100");
        assertEquals(1, tooCostly.code(), tooCostly.err());
        assertTrue(tooCostly.err().contains("LLM calls, more than the 100 allowed here (--max-calls-per-step"), tooCostly.err());
    }

    @Test
    void aPresetSetsThePapersHyperparametersAndFlagsOverrideThem() throws Exception {
        CliRun unknown = CliRun.of("train", "--base-url", "http://127.0.0.1:9/v1", "--preset", "paper-dln7");
        assertEquals(1, unknown.code(), unknown.err());
        assertTrue(unknown.err().contains("unknown preset 'paper-dln7'; presets: paper-dln1, paper-dln2"), unknown.err());

        CliRun result = CliRun.of("train", "--base-url", simulator.baseUrl() + "/v1", "--model", "dln-simulator",
                "--task", "generated:sum-parity", "--preset", "paper-dln2", "--iterations", "1", "--batch-size", "4",
                "--p-samples", "2", "--h-samples", "2", "--train-size", "20", "--dev-size", "10", "--test-size", "10", "--json");
        assertEquals(0, result.code(), result.err());
        JsonNode report = new ObjectMapper().readTree(result.out());
        assertEquals(2, report.get("layers").asInt(), "paper-dln2 trains two layers");
    }

    /**
     * The simulator writes an analysis in two paragraphs with the working in the second (as a real model does):
     * DLN-2 with the default templates reads it whole and learns; with the blank-line stop the hidden templates had
     * before version 2, every analysis is cut to its opening and DLN-2 stays near the one-layer ceiling.
     */
    @Test
    void dln2NeedsTheSecondParagraphOfTheAnalysisThatTheOldStopCut(@TempDir Path dir) throws Exception {
        Path oldStops = dir.resolve("old-stops.json");
        Files.writeString(oldStops, "{\"hiddenTemplate\": \"hidden-forward:1\","
                + " \"posteriorTemplates\": [\"posterior-with-answer:1\", \"hidden-forward:1\"]}");
        String[] run = {"train", "--base-url", simulator.baseUrl() + "/v1", "--model", "dln-simulator", "--task",
                "generated:sum-parity", "--layers", "2", "--iterations", "6", "--train-size", "60", "--dev-size", "40",
                "--test-size", "100", "--seed", "42", "--json"};
        CliRun whole = CliRun.of(run);
        String[] cut = java.util.Arrays.copyOf(run, run.length + 2);
        cut[run.length] = "--settings";
        cut[run.length + 1] = oldStops.toString();
        CliRun truncated = CliRun.of(cut);

        assertEquals(0, whole.code(), whole.err());
        assertEquals(0, truncated.code(), truncated.err());
        double wholeTest = new ObjectMapper().readTree(whole.out()).get("testAccuracy").asDouble();
        double cutTest = new ObjectMapper().readTree(truncated.out()).get("testAccuracy").asDouble();
        System.out.printf("DLN-2 sum-parity test accuracy: whole analyses %.3f, analyses cut at the first blank line %.3f%n",
                wholeTest, cutTest);
        assertTrue(wholeTest >= 0.85, "whole analyses reach what the simulator allows a trained DLN-2: " + wholeTest);
        assertTrue(cutTest <= wholeTest - 0.1, "cut analyses lose the working: " + cutTest + " vs " + wholeTest);
    }

    @Test
    void aTwoLayerRunReportsBothPrompts() throws Exception {
        CliRun result = CliRun.of("train", "--base-url", simulator.baseUrl() + "/v1", "--model", "dln-simulator",
                "--task", "generated:basket-totals", "--layers", "2", "--iterations", "2", "--batch-size", "6",
                "--h-samples", "2", "--p-samples", "3", "--train-size", "20", "--dev-size", "20", "--test-size", "20");
        assertEquals(0, result.code(), result.err());
        assertTrue(result.out().contains("Best hidden prompt:"), result.out());
        assertTrue(result.out().contains("Test accuracy:"), result.out());
    }

    private CliRun train(String... args) {
        String[] all = new String[args.length + 5];
        all[0] = "train";
        all[1] = "--base-url";
        all[2] = simulator.baseUrl() + "/v1";
        all[3] = "--model";
        all[4] = "dln-simulator";
        System.arraycopy(args, 0, all, 5, args.length);
        return CliRun.of(all);
    }

    @Test
    void aFolderOfOwnDataWithClassesAndInstructionTrainsAsWellAsTheTaskItWasDrawnFrom(@TempDir Path dir) throws Exception {
        Path folder = dir.resolve("parity");
        assertEquals(0, CliRun.of("generate-data", "--task", "generated:sum-parity", "--count", "60", "--dev", "20", "--test", "20",
                "--seed", "11", "--out-dir", folder.toString()).code());
        assertTrue(Files.isRegularFile(folder.resolve("train.jsonl")) && Files.isRegularFile(folder.resolve("test.jsonl")));

        CliRun own = train("--data", folder.toString(), "--classes", "even|Even,odd|Odd", "--instruction",
                "Answer the question about the numbers.", "--iterations", "3", "--batch-size", "8", "--seed", "11", "--json");
        assertEquals(0, own.code(), own.err());
        JsonNode report = new ObjectMapper().readTree(own.out());
        assertEquals("[\"even|Even\",\"odd|Odd\"]", report.get("outputClasses").toString());
        assertEquals("{\"train\":20,\"dev\":20,\"test\":20}", report.get("examples").toString());
        assertEquals("Answer the question about the numbers.", report.get("settings").get("initP2").asText());

        // the same examples as the built-in generated task, with its classes and instruction: the same training
        CliRun task = train("--task", "generated:sum-parity", "--train-size", "20", "--dev-size", "20", "--test-size", "20",
                "--iterations", "3", "--batch-size", "8", "--seed", "11", "--json");
        JsonNode reference = new ObjectMapper().readTree(task.out());
        assertEquals(reference.get("bestDevAccuracy"), report.get("bestDevAccuracy"));
        assertEquals(reference.get("testAccuracy"), report.get("testAccuracy"));
        assertEquals(reference.get("p2"), report.get("p2"));
        assertTrue(report.get("bestDevAccuracy").asDouble() > report.get("initialDevAccuracy").asDouble(), own.out());
    }

    @Test
    void aCsvFileIsSplitBySizesAndAHiddenInstructionStartsTheHiddenLayer(@TempDir Path dir) throws Exception {
        StringBuilder csv = new StringBuilder("target,input\n");
        for (int i = 0; i < 30; i++) csv.append(i % 2 == 0 ? "even" : "odd").append(",\"Is the sum of ").append(i).append(" and 2, even or odd?\"\n");
        Path file = Files.writeString(dir.resolve("mine.csv"), csv);
        CliRun result = train("--data", file.toString(), "--classes", "even,odd", "--train-size", "12", "--dev-size", "8",
                "--test-size", "5", "--layers", "2", "--hidden-instruction", "Add the numbers first.", "--iterations", "1",
                "--batch-size", "4", "--p-samples", "2", "--h-samples", "2", "--json");
        assertEquals(0, result.code(), result.err());
        JsonNode report = new ObjectMapper().readTree(result.out());
        assertEquals("{\"train\":12,\"dev\":8,\"test\":5}", report.get("examples").toString());
        assertEquals("Add the numbers first.", report.get("settings").get("initP1").asText());
    }

    @Test
    void aSettingsFileChangesWhatIsSentUnlessAnOptionIsGiven(@TempDir Path dir) throws Exception {
        Path folder = dir.resolve("parity");
        CliRun.of("generate-data", "--task", "generated:sum-parity", "--count", "60", "--seed", "4", "--out-dir", folder.toString());
        Path small = Files.writeString(dir.resolve("small.json"), "{\"pSamples\": 2, \"batchSize\": 4}");
        Path empty = Files.writeString(dir.resolve("empty.json"), "{}");

        JsonNode withSmall = new ObjectMapper().readTree(train("--data", folder.toString(), "--classes", "even,odd", "--iterations", "2",
                "--settings", small.toString(), "--json").out());
        JsonNode withEmpty = new ObjectMapper().readTree(train("--data", folder.toString(), "--classes", "even,odd", "--iterations", "2",
                "--settings", empty.toString(), "--json").out());
        assertEquals(2, withSmall.get("settings").get("pSamples").asInt());
        assertEquals(4, withSmall.get("settings").get("batchSize").asInt());
        assertEquals(5, withEmpty.get("settings").get("pSamples").asInt(), "the option's default fills what the file leaves out");
        assertTrue(withSmall.get("tokensUsed").asLong() < withEmpty.get("tokensUsed").asLong(),
                "fewer candidates on smaller batches send less: " + withSmall.get("tokensUsed") + " vs " + withEmpty.get("tokensUsed"));

        JsonNode overridden = new ObjectMapper().readTree(train("--data", folder.toString(), "--classes", "even,odd", "--iterations", "1",
                "--settings", small.toString(), "--p-samples", "3", "--json").out());
        assertEquals(3, overridden.get("settings").get("pSamples").asInt(), "an option given on the command line wins");
        assertEquals(4, overridden.get("settings").get("batchSize").asInt());

        Path unknown = Files.writeString(dir.resolve("unknown.json"), "{\"pSamplez\": 2}");
        CliRun typo = train("--data", folder.toString(), "--settings", unknown.toString());
        assertEquals(2, typo.code(), typo.err());
        assertTrue(typo.err().contains("unknown setting 'pSamplez'"), typo.err());
        CliRun outOfRange = train("--data", folder.toString(), "--settings", small.toString(), "--validate-every", "0");
        assertEquals(2, outOfRange.code(), outOfRange.err());
        assertTrue(outOfRange.err().contains("validateEvery must be within [1, 1000], was 0"), outOfRange.err());
    }

    @Test
    void badDataFailsNamingTheFileTheLineAndTheField(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("bad.jsonl"), "{\"input\": \"a\", \"target\": \"even\"}\n\n{\"input\": \"b\"}\n");
        CliRun missing = train("--data", file.toString());
        assertEquals(1, missing.code());
        assertEquals("dln: " + file + ", line 3, field \"target\": missing", missing.err().strip());

        Path folder = Files.createDirectories(dir.resolve("partial"));
        Files.writeString(folder.resolve("train.jsonl"), "{\"input\": \"a\", \"target\": \"even\"}\n");
        CliRun partial = train("--data", folder.toString());
        assertEquals(1, partial.code());
        assertTrue(partial.err().contains("has no dev.jsonl or dev.csv"), partial.err());

        CliRun classesWithoutData = train("--task", "generated:sum-parity", "--classes", "a,b");
        assertEquals(2, classesWithoutData.code(), classesWithoutData.err());
    }

    @Test
    void failuresExitWithOneAndSayWhatToChange() {
        CliRun unknownTask = CliRun.of("train", "--base-url", simulator.baseUrl() + "/v1", "--task", "generated:juggling");
        assertEquals(1, unknownTask.code());
        assertTrue(unknownTask.err().contains("no generated task 'juggling'; 'dln tasks' lists them"), unknownTask.err());

        CliRun unreachable = CliRun.of("train", "--base-url", "http://127.0.0.1:9/v1", "--task", "generated:sum-parity");
        assertEquals(1, unreachable.code());
        assertTrue(unreachable.err().startsWith("dln: "), unreachable.err());

        CliRun badFlag = CliRun.of("train", "--layers", "three");
        assertEquals(2, badFlag.code(), "usage errors exit with 2");
    }
}
