package io.dln.pipeline;

import io.dln.core.model.DlnSettings;
import io.dln.core.model.NetworkPrompts;
import io.dln.testkit.ServiceProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kill -9 of a service in the middle of a run, then a restart: the run finishes with the prompts of an
 * uninterrupted run, every iteration stored exactly once.
 */
@ExtendWith(PipelineExtension.class)
class CrashRecoveryTest {

    static final DlnSettings SETTINGS = DlnSettings.builder().layers(2).iterations(5).batchSize(8).pSamples(3).hSamples(2)
            .validateEvery(1).build();

    private static ServiceProcess trainer;

    @BeforeAll
    static void startTrainer(Pipeline pipeline) {
        pipeline.stopSharedTrainer(); // the trainers here are the tenant's only ones: one is killed, the next takes over
        trainer = pipeline.startTrainer("trainer-crash-1", 2);
    }

    @AfterAll
    static void stopTrainer() {
        trainer.stop();
    }

    @Test
    void aKilledScorerIsReplacedAndTheRunEndsAsIfNothingHappened(Pipeline pipeline) {
        Scenario scenario = Scenario.generated("sum-parity", 30, 20, 20, SETTINGS, 21);
        UUID run = scenario.start(Pipeline.BACKEND);
        List<NetworkPrompts> reference = scenario.reference(pipeline.simulator.baseUrl());

        Runs.awaitRun(run, r -> r.iteration() >= 2, Duration.ofMinutes(2), "reach iteration 2");
        pipeline.scorer.kill9();
        Runs.assertStillRunning(run);
        Runs.sleep(500);
        pipeline.scorer = pipeline.startScorer();

        Runs.awaitSuccess(run, Duration.ofMinutes(3));
        Runs.assertSameAsReference(run, reference);
    }

    @Test
    void aKilledSamplerIsReplacedAndTheRunEndsAsIfNothingHappened(Pipeline pipeline) {
        Scenario scenario = Scenario.generated("basket-totals", 30, 20, 20, SETTINGS, 22);
        UUID run = scenario.start(Pipeline.BACKEND);
        List<NetworkPrompts> reference = scenario.reference(pipeline.simulator.baseUrl());

        Runs.awaitRun(run, r -> r.iteration() >= 2, Duration.ofMinutes(2), "reach iteration 2");
        pipeline.sampler.kill9();
        Runs.assertStillRunning(run);
        Runs.sleep(500);
        pipeline.sampler = pipeline.startSampler();

        Runs.awaitSuccess(run, Duration.ofMinutes(3));
        Runs.assertSameAsReference(run, reference);
    }

    @Test
    void aKilledTrainersRunIsResumedFromItsCheckpointByTheNextTrainer(Pipeline pipeline) throws Exception {
        Scenario scenario = Scenario.generated("sum-parity", 30, 20, 20, SETTINGS, 23);
        UUID run = scenario.start(Pipeline.BACKEND);
        List<NetworkPrompts> reference = scenario.reference(pipeline.simulator.baseUrl());

        Db.RunRow midway = Runs.awaitRun(run, r -> r.iteration() >= 2, Duration.ofMinutes(2), "reach iteration 2");
        trainer.kill9();
        Runs.assertStillRunning(run);
        trainer = pipeline.startTrainer("trainer-crash-2", 2);

        Runs.awaitSuccess(run, Duration.ofMinutes(3));
        assertEquals("trainer-crash-1", midway.leaseOwner());
        assertTrue(Files.readString(trainer.log()).contains("took run " + run), "the new trainer took the run over");
        Runs.assertSameAsReference(run, reference);
    }
}
