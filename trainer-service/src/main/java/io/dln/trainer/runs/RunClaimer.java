package io.dln.trainer.runs;

import io.dln.trainer.bus.RequestBus;
import io.dln.trainer.config.InstanceId;
import io.dln.trainer.config.TrainerConfig;
import io.dln.trainer.health.TrainerProgress;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Takes runs whose lease is free or expired, up to the configured number at once, trains each on a
 * virtual thread, and keeps their leases alive. A run whose lease cannot be renewed is given up here:
 * another trainer has it.
 */
@ApplicationScoped
public class RunClaimer {

    private static final Logger LOG = Logger.getLogger(RunClaimer.class);

    private final RunStore store;
    private final RunExecutor executor;
    private final TrainerConfig config;
    private final RequestBus bus;
    private final TrainerProgress progress;
    private final String owner;
    private final Map<UUID, RunLease> active = new ConcurrentHashMap<>();
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    public RunClaimer(RunStore store, RunExecutor executor, TrainerConfig config, InstanceId instanceId, RequestBus bus,
                      TrainerProgress progress) {
        this.store = store;
        this.progress = progress;
        this.bus = bus;
        this.executor = executor;
        this.config = config;
        this.owner = instanceId.value();
    }

    @Scheduled(every = "${dln.trainer.poll-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void claim() {
        while (active.size() < config.maxActiveRuns() && progress.acceptsRuns()) {
            UUID runId = store.claimNext(owner, config.leaseDuration(), config.tenants().orElse(List.of())).orElse(null);
            if (runId == null) return;
            RunLease lease = new RunLease();
            active.put(runId, lease);
            LOG.infof("trainer %s took run %s", owner, runId);
            threads.submit(() -> {
                try {
                    executor.execute(runId, owner, lease);
                    lease.markEnded();
                } catch (RuntimeException e) {
                    LOG.errorf(e, "run %s stopped unexpectedly", runId);
                } finally {
                    active.remove(runId);
                }
            });
        }
    }

    /** Keeps the leases of the runs trained here; a cancel request read with the lease stops the run's step at once. */
    @Scheduled(every = "${dln.trainer.lease-renewal:3s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void renewLeases() {
        active.forEach((runId, lease) -> {
            if (lease.lost() || lease.ended()) return;
            RunStore.Renewal renewal = store.renewLease(runId, owner, config.leaseDuration());
            if (renewal == RunStore.Renewal.LOST && !lease.ended()) {
                LOG.warnf("trainer %s lost the lease of run %s", owner, runId);
                lease.markLost();
                bus.abandonRun(runId.toString(), new IllegalStateException("the lease of run " + runId + " was lost"));
            } else if (renewal == RunStore.Renewal.HELD_CANCEL_REQUESTED && !lease.cancelRequested()) {
                LOG.infof("run %s: cancel requested; stopping its step", runId);
                lease.markCancelRequested();
                bus.abandonRun(runId.toString(), RunCancelledException.INSTANCE);
            }
        });
    }

    public int activeRuns() {
        return active.size();
    }

    void stop(@Observes ShutdownEvent event) {
        threads.shutdownNow();
    }
}
