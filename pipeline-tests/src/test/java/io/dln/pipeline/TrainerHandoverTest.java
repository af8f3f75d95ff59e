package io.dln.pipeline;

import io.dln.core.model.DlnSettings;
import io.dln.core.model.NetworkPrompts;
import io.dln.testkit.ServiceProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** Two trainers split two runs; when one dies, the other finishes its run too. */
@ExtendWith(PipelineExtension.class)
class TrainerHandoverTest {

    static final DlnSettings SETTINGS = DlnSettings.builder().layers(2).iterations(4).batchSize(8).pSamples(3).hSamples(2)
            .validateEvery(1).build();

    @Test
    void twoTrainersSplitTwoRunsAndTheSurvivorTakesOverTheOther(Pipeline pipeline) {
        pipeline.stopSharedTrainer(); // these two are the only trainers of the tenant
        ServiceProcess a = pipeline.startTrainer("trainer-split-a", 1);
        ServiceProcess b = pipeline.startTrainer("trainer-split-b", 1);
        try {
            Scenario first = Scenario.generated("sum-parity", 30, 20, 20, SETTINGS, 31);
            Scenario second = Scenario.generated("basket-totals", 30, 20, 20, SETTINGS, 32);
            UUID run1 = first.start(Pipeline.BACKEND);
            UUID run2 = second.start(Pipeline.BACKEND);

            Db.RunRow one = Runs.awaitRun(run1, r -> r.leaseOwner() != null && r.iteration() >= 1, Duration.ofMinutes(1), "start");
            Db.RunRow two = Runs.awaitRun(run2, r -> r.leaseOwner() != null, Duration.ofMinutes(1), "start");
            assertNotNull(one.leaseOwner());
            assertNotEquals(one.leaseOwner(), two.leaseOwner(), "each trainer took one run");

            ServiceProcess ownerOfRun1 = one.leaseOwner().equals("trainer-split-a") ? a : b;
            ownerOfRun1.kill9();

            List<NetworkPrompts> reference1 = first.reference(pipeline.simulator.baseUrl());
            List<NetworkPrompts> reference2 = second.reference(pipeline.simulator.baseUrl());
            Runs.awaitSuccess(run1, Duration.ofMinutes(3));
            Runs.awaitSuccess(run2, Duration.ofMinutes(3));
            Runs.assertSameAsReference(run1, reference1);
            Runs.assertSameAsReference(run2, reference2);
        } finally {
            a.stop();
            b.stop();
        }
    }
}
