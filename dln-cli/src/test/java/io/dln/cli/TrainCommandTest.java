package io.dln.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dln.testkit.SimulatorProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
        Result result = run("train", "--base-url", simulator.baseUrl() + "/v1", "--model", "dln-simulator",
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

        Result resumed = run("train", "--base-url", simulator.baseUrl() + "/v1", "--model", "dln-simulator",
                "--task", "generated:sum-parity", "--iterations", "4", "--train-size", "40", "--dev-size", "40",
                "--test-size", "40", "--checkpoint", checkpoint.toString(), "--json");
        assertEquals(0, resumed.code(), resumed.err());
        JsonNode again = new ObjectMapper().readTree(resumed.out());
        assertEquals(report.get("p2"), again.get("p2"), "resuming a finished checkpoint reports the same prompts");
    }

    @Test
    void aTwoLayerRunReportsBothPrompts() throws Exception {
        Result result = run("train", "--base-url", simulator.baseUrl() + "/v1", "--model", "dln-simulator",
                "--task", "generated:basket-totals", "--layers", "2", "--iterations", "2", "--batch-size", "6",
                "--h-samples", "2", "--p-samples", "3", "--train-size", "20", "--dev-size", "20", "--test-size", "20");
        assertEquals(0, result.code(), result.err());
        assertTrue(result.out().contains("Best hidden prompt:"), result.out());
        assertTrue(result.out().contains("Test accuracy:"), result.out());
    }

    @Test
    void failuresExitWithOneAndSayWhatToChange() {
        Result unknownTask = run("train", "--base-url", simulator.baseUrl() + "/v1", "--task", "generated:juggling");
        assertEquals(1, unknownTask.code());
        assertTrue(unknownTask.err().contains("no generated task 'juggling'; 'dln tasks' lists them"), unknownTask.err());

        Result unreachable = run("train", "--base-url", "http://127.0.0.1:9/v1", "--task", "generated:sum-parity");
        assertEquals(1, unreachable.code());
        assertTrue(unreachable.err().startsWith("dln: "), unreachable.err());

        Result badFlag = run("train", "--layers", "three");
        assertEquals(2, badFlag.code(), "usage errors exit with 2");
    }

    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
    }
}
