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

/** A run stops where its token budget runs out, and a cancelled run stops at the next iteration. */
@ExtendWith(PipelineExtension.class)
class RunControlTest {

    static final DlnSettings SETTINGS = DlnSettings.builder().layers(2).iterations(20).batchSize(8).pSamples(3).hSamples(2)
            .validateEvery(1).build();

    private static ServiceProcess trainer;

    @BeforeAll
    static void startTrainer(Pipeline pipeline) {
        trainer = pipeline.startTrainer("trainer-control", 2);
    }

    @AfterAll
    static void stopTrainer() {
        trainer.stop();
    }

    @Test
    void aRunStopsWhenItsTokenBudgetIsUsedUp() {
        UUID run = Scenario.generated("sum-parity", 30, 20, 20, SETTINGS, 51).start(Pipeline.BACKEND, 60_000L);

        Db.RunRow end = Runs.awaitRun(run, r -> r.status().equals("FAILED") || r.status().equals("SUCCEEDED"),
                Duration.ofMinutes(3), "end");

        assertEquals("FAILED", end.status());
        assertTrue(end.error().contains("token budget of 60000 tokens is used up"), end.error());
        assertTrue(end.iteration() > 0 && end.iteration() < 20, "stopped part way: " + end);
        assertNull(Db.modelOf(run), "nothing is registered");
    }

    @Test
    void aCancelledRunStopsAtTheNextIteration() {
        UUID run = Scenario.generated("basket-totals", 30, 20, 20, SETTINGS, 52).start(Pipeline.BACKEND);
        Runs.awaitRun(run, r -> r.iteration() >= 1, Duration.ofMinutes(2), "start");

        Db.requestCancel(run);

        Db.RunRow end = Runs.awaitRun(run, r -> !r.status().equals("RUNNING"), Duration.ofMinutes(1), "stop");
        assertEquals("CANCELLED", end.status());
        assertTrue(end.iteration() < 20);
        assertEquals(end.iteration(), Db.history(run).size(), "every finished iteration is in the history");
    }
}
