package io.dln.trainer.runs;

import io.dln.core.train.IterationReport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Per-run gauges (iteration, dev accuracy, ELBO) for the runs trained here, a step counter, and timers of a step's
 * training and of storing it with its checkpoint. The counter and timers exist from the trainer's start (at zero,
 * see TrainerMeters), with histogram buckets so that a p95 aggregates across replicas. A run's gauges appear with its
 * first iteration and stay, at their last values, for {@link #KEPT_AFTER_END} after the run ends here (finished,
 * failed, cancelled, paused or handed over), so a dashboard shows how it ended; then they are removed, so the series
 * of a long-lived trainer stay bounded.
 */
final class RunMetrics {

    static final Duration KEPT_AFTER_END = Duration.ofHours(1);

    private final MeterRegistry registry;
    private final Counter steps;
    private final Timer training;
    private final Timer checkpoint;
    private final Map<String, double[]> values = new ConcurrentHashMap<>();
    private final Map<String, List<Meter>> meters = new ConcurrentHashMap<>();
    private final Map<String, Long> endedAt = new ConcurrentHashMap<>();

    RunMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.steps = TrainerMeters.steps(registry);
        this.training = TrainerMeters.training(registry);
        this.checkpoint = TrainerMeters.checkpoint(registry);
    }

    /** {@code iterationsDone}: the run's iterations done with this one, as the run's own count shows them. */
    void iterationDone(String runId, int iterationsDone, IterationReport report, long trainingNanos, long checkpointNanos) {
        steps.increment();
        training.record(trainingNanos, TimeUnit.NANOSECONDS);
        checkpoint.record(checkpointNanos, TimeUnit.NANOSECONDS);
        endedAt.remove(runId);
        double[] v = values.computeIfAbsent(runId, id -> {
            double[] created = {Double.NaN, Double.NaN, Double.NaN};
            List<Meter> registered = new ArrayList<>();
            registered.add(Gauge.builder("dln.trainer.run.iteration", created, a -> a[0]).tag("run", id)
                    .description("Iterations a run has done (a run of N iterations ends at N)").register(registry));
            registered.add(Gauge.builder("dln.trainer.run.dev.accuracy", created, a -> a[1]).tag("run", id)
                    .description("A run's latest dev accuracy").register(registry));
            registered.add(Gauge.builder("dln.trainer.run.elbo", created, a -> a[2]).tag("run", id)
                    .description("A run's latest ELBO of its output layer").register(registry));
            meters.put(id, registered);
            return created;
        });
        v[0] = iterationsDone;
        if (report.devAccuracy() != null) v[1] = report.devAccuracy();
        if (report.elbo() != null) v[2] = report.elbo();
        removeExpired(System.nanoTime());
    }

    /** The run is no longer trained here: its gauges keep their last values for {@link #KEPT_AFTER_END}. */
    void forget(String runId) {
        long now = System.nanoTime();
        if (values.containsKey(runId)) endedAt.put(runId, now);
        removeExpired(now);
    }

    /** Removes the gauges of runs that ended here longer than {@code KEPT_AFTER_END} before {@code now}. */
    void removeExpired(long now) {
        endedAt.forEach((runId, at) -> {
            if (now - at >= KEPT_AFTER_END.toNanos() && endedAt.remove(runId, at)) {
                values.remove(runId);
                List<Meter> registered = meters.remove(runId);
                if (registered != null) registered.forEach(registry::remove);
            }
        });
    }

    boolean shows(String runId) {
        return values.containsKey(runId);
    }
}
