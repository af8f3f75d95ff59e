package io.dln.trainer.health;

import io.dln.store.CheckpointEntity;
import io.dln.store.RunEntity;
import io.dln.store.RunIterationEntity;
import io.dln.store.RunStatus;
import io.dln.trainer.bus.ResultsSlot;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.dln.trainer.support.QueuedRuns;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The trainer's readiness against the real PostgreSQL and Kafka: a run whose calls nobody answers makes it unready
 * (and a cancel stops that run's step within seconds, storing nothing); so does another trainer holding its results
 * partition. Each time it comes back once the cause is gone.
 */
@QuarkusTest
class TrainerReadinessTest {

    private static final String TENANT = "trainer-test";

    @Inject
    ResultsSlot slot;
    @Inject
    EntityManager em;

    @Test
    void aRunWhoseCallsGoUnansweredMakesTheTrainerUnreadyAndACancelStopsItsStepWithinSeconds() {
        awaitReadiness(200, null);
        UUID run = QueuedRuns.dln2(TENANT, "readiness", "unserved");

        awaitReadiness(503, run.toString());
        assertEquals(RunStatus.RUNNING, status(run), "the step is under way, waiting for answers");
        long requested = System.nanoTime();
        QuarkusTransaction.requiringNew().run(() -> RunEntity.<RunEntity>findById(run).cancelRequested = true);

        await().atMost(Duration.ofSeconds(60)).until(() -> status(run) == RunStatus.CANCELLED);
        System.out.printf("cancelled %d ms after the request, inside a step whose calls were never answered%n",
                (System.nanoTime() - requested) / 1_000_000);
        QuarkusTransaction.requiringNew().run(() -> {
            assertEquals(0, RunIterationEntity.count("key.runId", run), "nothing of the step is stored");
            assertNull(CheckpointEntity.findById(run));
            assertNull(RunEntity.<RunEntity>findById(run).leaseOwner);
        });
        awaitReadiness(200, null);
    }

    @Test
    void anotherTrainerHoldingTheResultsPartitionMakesItUnreadyUntilItHoldsItAgain() {
        awaitReadiness(200, null);
        int partition = slot.partition();
        slotLease(partition, "another-trainer", "now() + interval '1 hour'");

        awaitReadiness(503, "results partition " + partition + " is held by another trainer");

        slotLease(partition, "another-trainer", "now() - interval '1 second'"); // it went away; its lease ran out
        awaitReadiness(200, null);
    }

    private void slotLease(int partition, String owner, String until) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                        "UPDATE trainer_slots SET owner = ?1, lease_until = " + until + " WHERE partition_no = ?2")
                .setParameter(1, owner).setParameter(2, partition).executeUpdate());
    }

    private static void awaitReadiness(int status, String mentioning) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            Response r = given().get("/q/health/ready");
            return r.statusCode() == status && (mentioning == null || r.asString().contains(mentioning));
        });
    }

    private static RunStatus status(UUID run) {
        return QuarkusTransaction.requiringNew().call(() -> RunEntity.<RunEntity>findById(run).status);
    }
}
