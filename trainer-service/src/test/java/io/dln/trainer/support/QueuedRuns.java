package io.dln.trainer.support;

import io.dln.core.model.DlnSettings;
import io.dln.store.DatasetEntity;
import io.dln.store.ExampleEntity;
import io.dln.store.RunEntity;
import io.dln.store.RunStatus;
import io.quarkus.narayana.jta.QuarkusTransaction;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** Runs put in the database as the gateway queues them, for tests of what a trainer does with them. */
public final class QueuedRuns {

    private QueuedRuns() {
    }

    /** A two-iteration DLN-2 run of {@code tenant} on a yes/no data set of eight examples, served by {@code backend}. */
    public static UUID dln2(String tenant, String modelName, String backend) {
        return QuarkusTransaction.requiringNew().call(() -> {
            DatasetEntity data = new DatasetEntity();
            data.id = UUID.randomUUID();
            data.tenant = tenant;
            data.name = modelName + "-" + data.id;
            data.instruction = "Answer yes or no.";
            data.outputClasses = List.of("yes|Yes", "no|No");
            data.loss = "exact_match";
            data.trainCount = 4;
            data.devCount = 2;
            data.testCount = 2;
            data.createdAt = OffsetDateTime.now();
            data.persist();
            String[] splits = {"train", "train", "train", "train", "dev", "dev", "test", "test"};
            for (int i = 0; i < splits.length; i++) {
                ExampleEntity.of(data.id, splits[i], i, "Is " + i + " even?", i % 2 == 0 ? "yes" : "no").persist();
            }
            RunEntity run = new RunEntity();
            run.id = UUID.randomUUID();
            run.tenant = tenant;
            run.datasetId = data.id;
            run.modelName = modelName;
            run.status = RunStatus.QUEUED;
            run.settings = DlnSettings.builder().layers(2).iterations(2).batchSize(4).build();
            run.forwardBackend = backend;
            run.backwardBackend = backend;
            run.scoringBackend = backend;
            run.seed = 1;
            run.iterations = 2;
            run.createdAt = OffsetDateTime.now();
            run.updatedAt = run.createdAt;
            run.persist();
            return run.id;
        });
    }
}
