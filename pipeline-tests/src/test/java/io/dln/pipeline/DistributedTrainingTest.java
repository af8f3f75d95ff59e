package io.dln.pipeline;

import io.dln.core.model.DlnSettings;
import io.dln.core.model.NetworkPrompts;
import io.dln.testkit.ServiceProcess;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** DLN-1 and DLN-2 runs through the trainer, sampler and scorer end exactly as the same runs in one process. */
@ExtendWith(PipelineExtension.class)
class DistributedTrainingTest {

    static final DlnSettings DLN1 = DlnSettings.builder().layers(1).iterations(4).batchSize(8).pSamples(3).validateEvery(1).build();
    static final DlnSettings DLN2 = DlnSettings.builder().layers(2).iterations(3).batchSize(6).pSamples(3).hSamples(2)
            .validateEvery(1).build();

    @BeforeAll
    static void startTrainer(Pipeline pipeline) {
        pipeline.sharedTrainer();
    }

    @Test
    void dln1AndDln2RunsFinishWithThePromptsOfAnInProcessRun(Pipeline pipeline) {
        Scenario dln1 = Scenario.generated("sum-parity", 40, 30, 30, DLN1, 11);
        Scenario dln2 = Scenario.generated("basket-totals", 30, 20, 20, DLN2, 12);
        UUID run1 = dln1.start(Pipeline.BACKEND);
        UUID run2 = dln2.start(Pipeline.BACKEND);

        List<NetworkPrompts> reference1 = dln1.reference(pipeline.simulator.baseUrl());
        List<NetworkPrompts> reference2 = dln2.reference(pipeline.simulator.baseUrl());

        Runs.awaitSuccess(run1, Duration.ofMinutes(3));
        Runs.awaitSuccess(run2, Duration.ofMinutes(3));
        Runs.assertSameAsReference(run1, reference1);
        Runs.assertSameAsReference(run2, reference2);
    }

    /**
     * The same DLN-2 run three ways: its calls batched in messages and multi-prompt HTTP calls (the default), each call
     * in a message of its own (as before batches), and in this process with one prompt per HTTP request. Same seed,
     * same prompts after every iteration. One trainer at a time takes the tenant's runs.
     */
    @Test
    void runsWhoseCallsTravelInBatchesEndWithThePromptsOfTheUnbatchedPath(Pipeline pipeline) {
        Scenario scenario = Scenario.generated("basket-totals", 30, 20, 20, DLN2, 14);
        List<NetworkPrompts> unbatched = scenario.reference(pipeline.simulator.baseUrl(), Map.of(), 1);

        pipeline.stopSharedTrainer();
        try (ServiceProcess oneByOne = pipeline.startTrainer("trainer-unbatched-" + UUID.randomUUID().toString().substring(0, 8), 2,
                Pipeline.TENANT, Map.of("dln.trainer.max-calls-per-message", "1"))) {
            UUID single = scenario.start(Pipeline.BACKEND);
            Runs.awaitSuccess(single, Duration.ofMinutes(3));
            Runs.assertSameAsReference(single, unbatched);
        }
        pipeline.sharedTrainer();
        UUID batched = scenario.start(Pipeline.BACKEND);
        Runs.awaitSuccess(batched, Duration.ofMinutes(3));
        Runs.assertSameAsReference(batched, unbatched);
    }
}
