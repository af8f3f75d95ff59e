package io.dln.gateway.runs;

import io.dln.core.model.Candidate;
import io.dln.core.model.DlnSettings;
import io.dln.core.model.NetworkPrompts;
import io.dln.core.train.StepTrace;
import io.dln.core.model.StepCost;
import io.dln.gateway.common.ApiException;
import io.dln.gateway.common.FieldProblem;
import io.dln.gateway.common.Page;
import io.dln.gateway.tenants.Ceilings;
import io.dln.gateway.tenants.DailyTokens;
import io.dln.messages.RunCommand;
import io.dln.messages.RunEvent;
import io.dln.store.DatasetEntity;
import io.dln.store.ExampleEntity;
import io.dln.store.IterationTraceEntity;
import io.dln.store.ModelEntity;
import io.dln.store.RunEntity;
import io.dln.store.RunIterationEntity;
import io.dln.store.RunStatus;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import org.jboss.logging.Logger;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Runs as rows of the runs table: the gateway queues them and changes what a user may change (cancel, resume);
 * the trainers do the rest and report through the same rows.
 */
@ApplicationScoped
public class RunService {

    private static final Logger LOG = Logger.getLogger(RunService.class);
    private static final SecureRandom SEEDS = new SecureRandom();

    private final EntityManager em;
    private final RunChecks checks;
    private final RunBus bus;
    private final GuidanceService guidance;
    private final Ceilings ceilings;
    private final DailyTokens tokens;

    public RunService(EntityManager em, RunChecks checks, RunBus bus, GuidanceService guidance, Ceilings ceilings,
                      DailyTokens tokens) {
        this.em = em;
        this.checks = checks;
        this.bus = bus;
        this.guidance = guidance;
        this.ceilings = ceilings;
        this.tokens = tokens;
    }

    public RunView create(String tenant, String requestedBy, CreateRunRequest request) {
        DatasetEntity dataset = QuarkusTransaction.joiningExisting().call(() -> DatasetEntity.findById(request.datasetId()));
        if (dataset == null || !dataset.tenant.equals(tenant)) throw ApiException.notFound("data set " + request.datasetId());
        List<FieldProblem> problems = new ArrayList<>();
        DlnSettings settings = checks.settings(request, problems);
        RunChecks.Roles roles = checks.roles(tenant, request, problems);
        if (settings != null) checks.cost(settings, splitSizes(dataset), problems);
        if (settings != null && roles != null) checks.capabilities(settings, dataset.outputClasses != null, roles, problems);
        if (!problems.isEmpty()) {
            String message = problems.size() == 1 ? problems.getFirst().field() + ": " + problems.getFirst().message()
                    : "the run cannot be started: " + problems.size() + " problems";
            throw ApiException.invalid(message, problems);
        }
        RunEntity run = new RunEntity();
        run.id = UUID.randomUUID();
        run.tenant = tenant;
        run.datasetId = dataset.id;
        run.modelName = request.modelName();
        run.status = RunStatus.QUEUED;
        run.settings = settings;
        run.forwardBackend = roles.forward();
        run.backwardBackend = roles.backward();
        run.scoringBackend = roles.scoring();
        run.seed = request.seed() != null ? request.seed() : SEEDS.nextLong() & CreateRunRequest.MAX_SEED;
        run.guided = Boolean.TRUE.equals(request.guided());
        run.iterations = settings.iterations();
        run.createdAt = OffsetDateTime.now();
        run.updatedAt = run.createdAt;
        QuarkusTransaction.requiringNew().run(() -> {
            checkActiveRuns(tenant, null);
            run.tokenBudget = tokens.grant(tenant, request.tokenBudget());
            run.persist();
        });
        LOG.infof("run %s queued for tenant %s: DLN-%d '%s' on data set %s", run.id, tenant, settings.layers(), run.modelName, dataset.id);
        bus.command(run.id.toString(), RunCommand.Type.START, requestedBy);
        return view(run, null, true);
    }

    private StepCost.SplitSizes splitSizes(DatasetEntity dataset) {
        Integer longest = QuarkusTransaction.joiningExisting().call(() -> ExampleEntity
                .find("select max(length(input)) from ExampleEntity where key.datasetId = ?1", dataset.id)
                .project(Integer.class).singleResult());
        return new StepCost.SplitSizes(dataset.trainCount, dataset.devCount, dataset.testCount, longest == null ? 0 : longest);
    }

    public Page<RunView> list(String tenant, RunStatus status, UUID datasetId, String modelName, int page, int size) {
        StringBuilder query = new StringBuilder("tenant = :tenant");
        Parameters parameters = Parameters.with("tenant", tenant);
        if (status != null) {
            query.append(" and status = :status");
            parameters.and("status", status);
        }
        if (datasetId != null) {
            query.append(" and datasetId = :dataset");
            parameters.and("dataset", datasetId);
        }
        if (modelName != null && !modelName.isBlank()) {
            query.append(" and modelName = :model");
            parameters.and("model", modelName);
        }
        return QuarkusTransaction.joiningExisting().call(() -> {
            var found = RunEntity.<RunEntity>find(query.toString(), Sort.descending("createdAt").and("id"), parameters).page(page, size);
            return new Page<>(found.list().stream().map(r -> view(r, null, false)).toList(), page, size, found.count());
        });
    }

    public RunView show(String tenant, UUID id) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            RunEntity run = find(tenant, id);
            return view(run, modelVersion(id), true);
        });
    }

    public List<IterationView> history(String tenant, UUID id, boolean candidates) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            find(tenant, id);
            Set<Integer> traced = IterationTraceEntity.iterationsOf(id);
            return RunIterationEntity.ofRun(id).stream()
                    .map(r -> IterationView.of(r, traced.contains(r.key.iteration()), candidates)).toList();
        });
    }

    /** What the step of iteration {@code n} saw; 404 when the run is not the tenant's or that iteration has no trace. */
    public TraceView trace(String tenant, UUID id, int n) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            RunEntity run = find(tenant, id);
            RunIterationEntity.Key key = new RunIterationEntity.Key(id, n);
            IterationTraceEntity traced = IterationTraceEntity.findById(key);
            RunIterationEntity row = traced == null ? null : RunIterationEntity.findById(key);
            if (row == null) throw ApiException.notFound("a trace of iteration " + n + " of run " + id);
            StepTrace trace = traced.trace;
            RunIterationEntity.Candidates candidates = row.candidates;
            Map<String, List<Candidate>> byLayer = new LinkedHashMap<>();
            byLayer.put("p1", candidates == null || candidates.p1() == null ? List.of() : candidates.p1());
            byLayer.put("p2", candidates == null || candidates.p2() == null ? List.of() : candidates.p2());
            return new TraceView(id, n, run.settings.layers(), trace.promptsBefore(), new NetworkPrompts(row.p1, row.p2),
                    trace.previousIterationPrompts(), row.batchAccuracy, row.devAccuracy, row.elbo, row.elbo1, row.elbo2,
                    row.tokensUsed, trace.batchSize(), trace.examples(), byLayer, guidance.appliedAt(id, n));
        });
    }

    /**
     * Asks the trainer to stop the run; a run no trainer holds (queued, or its lease run out) is cancelled here and
     * now, and its CANCELLED event published for those who follow it.
     */
    public RunView cancel(String tenant, UUID id, String requestedBy) {
        RunEntity run = QuarkusTransaction.requiringNew().call(() -> {
            RunEntity r = locked(em, tenant, id);
            if (r.status.terminal()) throw ApiException.conflict("run_ended", "run " + id + " has already ended (" + r.status + ")");
            r.cancelRequested = true;
            r.updatedAt = OffsetDateTime.now();
            if (!held(r)) {
                r.status = RunStatus.CANCELLED;
                r.finishedAt = r.updatedAt;
                r.leaseOwner = null;
                r.leaseUntil = null;
            }
            return r;
        });
        if (run.status == RunStatus.CANCELLED) {
            bus.event(new RunEvent(id.toString(), "CANCELLED", run.iteration, run.iterations, null, null, null, run.tokensUsed,
                    "cancelled before a trainer held it", Map.of(), System.currentTimeMillis()));
        } else {
            bus.command(id.toString(), RunCommand.Type.CANCEL, requestedBy);
        }
        LOG.infof("run %s: cancel requested by %s", id, requestedBy);
        return show(tenant, id);
    }

    /**
     * Asks the run to pause after the iteration under way; a run no trainer holds (queued, or its lease run out) pauses
     * here and now, and its PAUSED event is published. A paused run keeps its checkpoint and is not taken by any trainer
     * until it is resumed.
     */
    public RunView pause(String tenant, UUID id, String requestedBy) {
        RunEntity run = QuarkusTransaction.requiringNew().call(() -> {
            RunEntity r = locked(em, tenant, id);
            if (r.status != RunStatus.QUEUED && r.status != RunStatus.RUNNING) {
                throw ApiException.conflict("run_not_pausable", "only a QUEUED or RUNNING run can be paused; run " + id + " is " + r.status);
            }
            r.pauseRequested = true;
            r.updatedAt = OffsetDateTime.now();
            if (!held(r)) {
                r.status = RunStatus.PAUSED;
                r.pauseRequested = false;
                r.leaseOwner = null;
                r.leaseUntil = null;
            }
            return r;
        });
        if (run.status == RunStatus.PAUSED) {
            bus.event(new RunEvent(id.toString(), "PAUSED", run.iteration, run.iterations, null, null, null, run.tokensUsed,
                    "paused before a trainer held it", Map.of(), System.currentTimeMillis()));
        }
        bus.command(id.toString(), RunCommand.Type.PAUSE, requestedBy);
        LOG.infof("run %s: pause requested by %s", id, requestedBy);
        return show(tenant, id);
    }

    /**
     * Queues a paused, failed or cancelled run again; its trainer goes on from the last checkpoint. For a run that was
     * asked to pause and has not yet, the request is withdrawn. {@code guided} (when not null) enters or leaves guided mode.
     */
    public RunView resume(String tenant, UUID id, Long tokenBudget, Boolean guided, String requestedBy) {
        RunEntity run = QuarkusTransaction.requiringNew().call(() -> {
            RunEntity r = locked(em, tenant, id);
            boolean pausing = r.pauseRequested && (r.status == RunStatus.QUEUED || r.status == RunStatus.RUNNING);
            if (r.status != RunStatus.PAUSED && r.status != RunStatus.FAILED && r.status != RunStatus.CANCELLED && !pausing) {
                throw ApiException.conflict("run_not_resumable", "only a PAUSED, FAILED or CANCELLED run can be resumed; run " + id
                        + " is " + r.status);
            }
            if (!pausing) {
                checkActiveRuns(tenant, id);
                if (ceilings.of(tenant).tokensLimited()) {
                    // the run may use what it had left of its budget, or of the raised one, out of today's tokens
                    Long budget = tokenBudget != null ? tokenBudget : r.tokenBudget;
                    Long more = tokens.grant(tenant, budget == null ? null : Math.max(1, budget - r.tokensUsed));
                    r.tokenBudget = r.tokensUsed + more;
                } else if (tokenBudget != null) {
                    r.tokenBudget = tokenBudget;
                }
                r.status = RunStatus.QUEUED;
                r.cancelRequested = false;
                r.error = null;
                r.finishedAt = null;
                r.leaseOwner = null;
                r.leaseUntil = null;
            } else if (tokenBudget != null && !ceilings.of(tenant).tokensLimited()) {
                r.tokenBudget = tokenBudget;
            }
            r.pauseRequested = false;
            if (guided != null) r.guided = guided;
            r.updatedAt = OffsetDateTime.now();
            return r;
        });
        bus.event(new RunEvent(id.toString(), "RESUMED", run.iteration, run.iterations, null, null, null, run.tokensUsed,
                "resumed by " + requestedBy, Map.of("guided", run.guided), System.currentTimeMillis()));
        bus.command(id.toString(), RunCommand.Type.RESUME, requestedBy);
        LOG.infof("run %s: resumed by %s", id, requestedBy);
        return show(tenant, id);
    }

    /** Whether a trainer holds the run now: it is RUNNING under a lease that has not run out. */
    private static boolean held(RunEntity r) {
        return r.status == RunStatus.RUNNING && r.leaseUntil != null && r.leaseUntil.isAfter(OffsetDateTime.now());
    }

    /** The tenant's run, locked for the rest of the transaction; 404 for any other. */
    static RunEntity locked(EntityManager em, String tenant, UUID id) {
        RunEntity run = em.find(RunEntity.class, id, LockModeType.PESSIMISTIC_WRITE);
        if (run == null || !run.tenant.equals(tenant)) throw ApiException.notFound("run " + id);
        return run;
    }

    /**
     * Refuses (429) a run that would pass the tenant's ceiling of runs queued or running. Runs of a tenant are counted
     * and queued one at a time (an advisory lock in the caller's transaction), so concurrent requests cannot pass it.
     */
    private void checkActiveRuns(String tenant, UUID resumed) {
        // native: a PostgreSQL advisory lock
        em.createNativeQuery("SELECT pg_advisory_xact_lock(hashtext(?1))").setParameter(1, "runs/" + tenant).getSingleResult();
        long active = RunEntity.count("tenant = ?1 and status in ?2 and id <> ?3", tenant,
                List.of(RunStatus.QUEUED, RunStatus.RUNNING), resumed == null ? new UUID(0, 0) : resumed);
        int ceiling = ceilings.of(tenant).maxConcurrentRuns();
        if (active >= ceiling) {
            throw new ApiException(429, "too_many_runs", "tenant '" + tenant + "' has " + active + " runs queued or running, its "
                    + "ceiling (set by the operator); wait for one to end or cancel one", null, Map.of("Retry-After", "30"));
        }
    }

    RunEntity find(String tenant, UUID id) {
        RunEntity run = RunEntity.findById(id);
        if (run == null || !run.tenant.equals(tenant)) throw ApiException.notFound("run " + id);
        return run;
    }

    private static Integer modelVersion(UUID runId) {
        return ModelEntity.<ModelEntity>find("sourceRunId", runId).firstResultOptional().map(m -> m.version).orElse(null);
    }

    static RunView view(RunEntity r, Integer modelVersion, boolean withSettings) {
        Double elapsed = null;
        if (r.startedAt != null) {
            OffsetDateTime end = r.finishedAt != null ? r.finishedAt : OffsetDateTime.now();
            elapsed = Duration.between(r.startedAt, end).toMillis() / 1000.0;
        }
        RunView.Prompts best = r.bestP1 == null && r.bestP2 == null ? null : new RunView.Prompts(r.bestP1, r.bestP2);
        return new RunView(r.id, r.status, r.datasetId, r.modelName, r.settings.layers(), r.iteration, r.iterations,
                r.devAccuracy, r.bestDevAccuracy, r.testAccuracy, best, r.tokensUsed, r.tokensSent,
                r.tokensSent == null ? null : Math.max(0, r.tokensUsed - r.tokensSent), r.tokenBudget, r.seed,
                new RunView.Backends(r.forwardBackend, r.backwardBackend, r.scoringBackend), r.error, r.cancelRequested,
                r.guided, r.pauseRequested, r.createdAt, r.startedAt, r.finishedAt, elapsed, modelVersion, withSettings ? r.settings : null);
    }
}
