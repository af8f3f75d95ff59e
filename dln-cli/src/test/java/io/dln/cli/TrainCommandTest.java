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
        assertEquals(1, outOfRange.code(), outOfRange.err());
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
