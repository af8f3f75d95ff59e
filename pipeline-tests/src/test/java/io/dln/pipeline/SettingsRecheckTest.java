package io.dln.pipeline;

import io.dln.core.model.DlnSettings;
import io.dln.testkit.ServiceProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The trainer checks a run's stored settings again before its first call: a row written by an older version or
 * another writer with settings out of range, or with a step too large for this trainer, fails with the reason.
 */
@ExtendWith(PipelineExtension.class)
class SettingsRecheckTest {

    private static ServiceProcess trainer;

    @BeforeAll
    static void startTrainer(Pipeline pipeline) {
        trainer = pipeline.startTrainer("trainer-recheck", 2);
    }

    @AfterAll
    static void stopTrainer() {
        trainer.stop();
    }

    @Test
    void aStoredRunWithSettingsOutOfRangeFailsBeforeAnyCall() {
        DlnSettings stored = DlnSettings.builder().layers(2).iterations(3).pSamples(100_000).hSamples(100_000).build();
        UUID run = Scenario.generated("sum-parity", 20, 10, 10, stored, 61).start(Pipeline.BACKEND);

        Db.RunRow end = Runs.awaitRun(run, r -> !r.status().equals("QUEUED") && !r.status().equals("RUNNING"),
                Duration.ofMinutes(1), "refusal");

        assertEquals("FAILED", end.status());
        assertTrue(end.error().contains("pSamples must be within [1, 64], was 100000"), end.error());
        assertTrue(end.error().contains("hSamples must be within [1, 64], was 100000"), end.error());
        assertEquals(0, end.iteration());
        assertNull(Db.modelOf(run));
    }

    @Test
    void aStoredRunWhoseStepCannotFitFailsNamingTheSettingsThatDriveItsCost() {
        DlnSettings stored = DlnSettings.builder().layers(2).iterations(3).batchSize(200).pSamples(64).hSamples(64)
                .memorySize(20).build();
        UUID run = Scenario.generated("sum-parity", 200, 10, 10, stored, 62).start(Pipeline.BACKEND);

        Db.RunRow end = Runs.awaitRun(run, r -> !r.status().equals("QUEUED") && !r.status().equals("RUNNING"),
                Duration.ofMinutes(1), "refusal");

        assertEquals("FAILED", end.status());
        assertTrue(end.error().contains("LLM calls, more than the 100000 allowed here"), end.error());
        assertTrue(end.error().contains("lower batchSize, hSamples, pSamples or memorySize"), end.error());
        assertEquals(0, end.iteration());
    }
}
