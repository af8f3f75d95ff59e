package io.dln.trainer.runs;

import io.dln.core.data.Dataset;
import io.dln.core.data.Example;
import io.dln.core.lm.OutputClasses;
import io.dln.core.train.IterationReport;
import io.dln.core.train.TrainingState;
import io.dln.store.CheckpointEntity;
import io.dln.store.DatasetEntity;
import io.dln.store.ExampleEntity;
import io.dln.store.GuidanceEntity;
import io.dln.store.IterationTraceEntity;
import io.dln.store.ModelEntity;
import io.dln.store.RunEntity;
import io.dln.store.RunIterationEntity;
import io.dln.store.RunStatus;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The trainer's reads and writes of run state. Every write that changes a run checks, in the same
 * transaction, that this trainer still holds the run's lease: a trainer that lost its run (it paused
 * too long and another took over) cannot write over the new owner's progress.
 */
@ApplicationScoped
public class RunStore {

    private final EntityManager em;

    public RunStore(EntityManager em) {
        this.em = em;
    }

    /** Takes the oldest run that no live trainer holds, of the given tenants (all when empty). */
    public Optional<UUID> claimNext(String owner, Duration lease, List<String> tenants) {
        return QuarkusTransaction.requiringNew().call(() -> {
            // native: FOR UPDATE SKIP LOCKED, so trainers claiming at once take different runs, and UPDATE ... RETURNING
            @SuppressWarnings("unchecked")
            List<Object> ids = em.createNativeQuery("""
                    UPDATE runs SET lease_owner = ?1, lease_until = now() + make_interval(secs => ?2),
                                    status = 'RUNNING', started_at = coalesce(started_at, now()),
                                    attempts = attempts + 1, updated_at = now()
                    WHERE id = (SELECT id FROM runs
                                WHERE status IN ('QUEUED', 'RUNNING') AND (lease_until IS NULL OR lease_until < now())
                                  AND (cardinality(cast(?3 as text[])) = 0 OR tenant = ANY(cast(?3 as text[])))
                                ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED)
                    RETURNING id""")
                    .setParameter(1, owner).setParameter(2, (double) lease.toSeconds())
                    .setParameter(3, tenants.toArray(String[]::new)).getResultList();
            return ids.stream().findFirst().map(id -> (UUID) id);
        });
    }

    /** What renewing a run's lease found. */
    public enum Renewal {
        /** The lease is extended. */
        HELD,
        /** The lease is extended, and someone has asked for the run to be cancelled. */
        HELD_CANCEL_REQUESTED,
        /** The run is no longer this trainer's. */
        LOST
    }

    /**
     * Extends the lease and, in the same statement, reads whether the run is to be cancelled: a cancel reaches the
     * trainer within one renewal interval without a query of its own.
     */
    public Renewal renewLease(UUID runId, String owner, Duration lease) {
        return QuarkusTransaction.requiringNew().call(() -> {
            // native: UPDATE ... RETURNING renews and reads the cancel flag in one round trip
            @SuppressWarnings("unchecked")
            List<Object> cancel = em.createNativeQuery("""
                            UPDATE runs SET lease_until = now() + make_interval(secs => ?1)
                            WHERE id = ?2 AND lease_owner = ?3 AND status = 'RUNNING'
                            RETURNING cancel_requested""")
                    .setParameter(1, (double) lease.toSeconds()).setParameter(2, runId).setParameter(3, owner)
                    .getResultList();
            if (cancel.isEmpty()) return Renewal.LOST;
            return Boolean.TRUE.equals(cancel.getFirst()) ? Renewal.HELD_CANCEL_REQUESTED : Renewal.HELD;
        });
    }

    public boolean cancelRequested(UUID runId) {
        return QuarkusTransaction.requiringNew().call(() -> RunEntity.<RunEntity>findById(runId).cancelRequested);
    }

    public ClaimedRun load(UUID runId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            RunEntity run = RunEntity.findById(runId);
            DatasetEntity data = DatasetEntity.findById(run.datasetId);
            Dataset dataset = new Dataset(data.name, data.instruction,
                    data.outputClasses == null ? null : new OutputClasses(data.outputClasses),
                    examples(data.id, "train"), examples(data.id, "dev"), examples(data.id, "test"));
            CheckpointEntity checkpoint = CheckpointEntity.findById(runId);
            em.detach(run);
            return new ClaimedRun(run, dataset, data.loss, checkpoint == null ? null : checkpoint.state, pending(runId));
        });
    }

    /** The guidance recorded for the run and not applied yet, oldest first. */
    public List<PendingGuidance> pendingGuidance(UUID runId) {
        return QuarkusTransaction.requiringNew().call(() -> pending(runId));
    }

    private static List<PendingGuidance> pending(UUID runId) {
        return GuidanceEntity.pending(runId).stream().map(g -> new PendingGuidance(g.id, g.toAction())).toList();
    }

    /** What became of an iteration handed to {@link #saveIteration}. */
    public enum Saved {
        /** Stored; go on. */
        STORED,
        /** Stored, and someone has asked for the run to be cancelled: stop before the next iteration. */
        STORED_CANCEL_REQUESTED,
        /** Stored, and the run is now PAUSED (it is guided, or a pause was asked for): this trainer lets it go. */
        STORED_PAUSED,
        /** Stored, and guidance has been recorded that is not applied yet: apply it at the start of the next iteration. */
        STORED_GUIDANCE_PENDING,
        /** Nothing written: this trainer no longer holds the run. */
        LEASE_LOST
    }

    /**
     * Stores an iteration: its history row and its step's trace, the checkpoint after it, the run's progress, and which
     * guidance the iteration applied, at once: a crash before the commit leaves that guidance pending, to be applied again
     * from the same checkpoint, so it is honoured exactly once. The same transaction reads whether the run is to be
     * cancelled or paused (and pauses it) or has new guidance, so a step costs one round of the database, not two.
     */
    public Saved saveIteration(UUID runId, String owner, TrainingState state, IterationReport report, List<UUID> appliedGuidance) {
        return saveIteration(runId, owner, state, report, appliedGuidance, null);
    }

    /** @param tokensSent tokens the run has sent to backends so far (null: unknown, left as stored) */
    public Saved saveIteration(UUID runId, String owner, TrainingState state, IterationReport report, List<UUID> appliedGuidance,
                               Long tokensSent) {
        return QuarkusTransaction.requiringNew().call(() -> {
            RunEntity run = ownedRun(runId, owner);
            if (run == null) return Saved.LEASE_LOST;
            if (!appliedGuidance.isEmpty()) {
                GuidanceEntity.update("appliedAtIteration = ?1 where id in ?2 and appliedAtIteration is null",
                        report.iteration(), appliedGuidance);
                run.guidancePending = GuidanceEntity.count("runId = ?1 and appliedAtIteration is null", runId) > 0;
            }
            RunIterationEntity.Key key = new RunIterationEntity.Key(runId, report.iteration());
            if (RunIterationEntity.findById(key) == null) {
                RunIterationEntity row = new RunIterationEntity();
                row.key = key;
                row.p1 = report.prompts().p1();
                row.p2 = report.prompts().p2();
                row.devAccuracy = report.devAccuracy();
                row.elbo = report.elbo();
                row.elbo1 = report.elbo1();
                row.elbo2 = report.elbo2();
                row.batchAccuracy = report.batchAccuracy();
                row.candidates = new RunIterationEntity.Candidates(report.p1Candidates(), report.p2Candidates());
                row.tokensUsed = report.tokensUsed();
                row.createdAt = OffsetDateTime.now();
                row.persist();
                if (report.trace() != null) {
                    IterationTraceEntity trace = new IterationTraceEntity();
                    trace.key = key;
                    trace.trace = report.trace();
                    trace.persist();
                }
            }
            CheckpointEntity checkpoint = CheckpointEntity.findById(runId);
            if (checkpoint == null) {
                checkpoint = new CheckpointEntity();
                checkpoint.runId = runId;
                checkpoint.state = state;
                checkpoint.iteration = state.iteration();
                checkpoint.updatedAt = OffsetDateTime.now();
                checkpoint.persist();
            } else {
                checkpoint.state = state;
                checkpoint.iteration = state.iteration();
                checkpoint.updatedAt = OffsetDateTime.now();
            }
            run.iteration = state.iteration();
            run.tokensUsed = state.tokensUsed();
            if (tokensSent != null) run.tokensSent = tokensSent;
            if (report.devAccuracy() != null) run.devAccuracy = report.devAccuracy();
            run.bestDevAccuracy = state.bestDevAccuracy();
            run.bestP1 = state.bestPrompts().p1();
            run.bestP2 = state.bestPrompts().p2();
            run.updatedAt = OffsetDateTime.now();
            if (run.cancelRequested) return Saved.STORED_CANCEL_REQUESTED;
            if ((run.guided || run.pauseRequested) && !state.finished()) {
                run.status = RunStatus.PAUSED;
                run.pauseRequested = false;
                run.leaseOwner = null;
                run.leaseUntil = null;
                return Saved.STORED_PAUSED;
            }
            return run.guidancePending ? Saved.STORED_GUIDANCE_PENDING : Saved.STORED;
        });
    }

    /** Marks the run succeeded and registers its trained DLN, once: a second call finds the model already there. */
    public boolean succeed(UUID runId, String owner, double testAccuracy, long tokensUsed, long tokensSent, ModelEntity model) {
        return QuarkusTransaction.requiringNew().call(() -> {
            RunEntity run = ownedRun(runId, owner);
            if (run == null) return false;
            if (ModelEntity.count("sourceRunId", runId) == 0) {
                model.version = ModelEntity.nextVersion(model.tenant, model.name);
                model.persist();
            }
            run.status = RunStatus.SUCCEEDED;
            run.testAccuracy = testAccuracy;
            run.tokensUsed = tokensUsed;
            run.tokensSent = tokensSent;
            finish(run);
            return true;
        });
    }

    public void fail(UUID runId, String owner, String error) {
        end(runId, owner, RunStatus.FAILED, error);
    }

    public void cancel(UUID runId, String owner) {
        end(runId, owner, RunStatus.CANCELLED, null);
    }

    private void end(UUID runId, String owner, RunStatus status, String error) {
        QuarkusTransaction.requiringNew().run(() -> {
            RunEntity run = ownedRun(runId, owner);
            if (run == null) return;
            run.status = status;
            run.error = error;
            finish(run);
        });
    }

    private static void finish(RunEntity run) {
        run.finishedAt = OffsetDateTime.now();
        run.updatedAt = run.finishedAt;
        run.leaseOwner = null;
        run.leaseUntil = null;
    }

    private RunEntity ownedRun(UUID runId, String owner) {
        RunEntity run = em.find(RunEntity.class, runId, LockModeType.PESSIMISTIC_WRITE);
        return run != null && owner.equals(run.leaseOwner) && run.status == RunStatus.RUNNING ? run : null;
    }

    private static List<Example> examples(UUID datasetId, String split) {
        return ExampleEntity.ofSplit(datasetId, split).stream().map(e -> new Example(e.input, e.target)).toList();
    }
}
