package io.dln.trainer.runs;

import io.dln.core.train.IterationReport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Per-run gauges (iteration, dev accuracy, ELBO) for the runs trained here, a step counter, and timers of a step's
 * training and of storing it with its checkpoint.
 */
final class RunMetrics {

    private final MeterRegistry registry;
    private final Counter steps;
    private final Timer training;
    private final Timer checkpoint;
    private final Map<String, double[]> values = new ConcurrentHashMap<>();
    private final Map<String, List<Meter>> meters = new ConcurrentHashMap<>();

    RunMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.steps = registry.counter("dln.trainer.steps");
        this.training = Timer.builder("dln.trainer.step.training").description("a training step, its LLM calls included")
                .register(registry);
        this.checkpoint = Timer.builder("dln.trainer.step.checkpoint")
                .description("storing a step's history row and checkpoint in one transaction").register(registry);
    }

    /** {@code iterationsDone}: the run's iterations done with this one, as the run's own count shows them. */
    void iterationDone(String runId, int iterationsDone, IterationReport report, long trainingNanos, long checkpointNanos) {
        steps.increment();
        training.record(trainingNanos, TimeUnit.NANOSECONDS);
        checkpoint.record(checkpointNanos, TimeUnit.NANOSECONDS);
        double[] v = values.computeIfAbsent(runId, id -> {
            double[] created = {Double.NaN, Double.NaN, Double.NaN};
            List<Meter> registered = new ArrayList<>();
            registered.add(Gauge.builder("dln.trainer.run.iteration", created, a -> a[0]).tag("run", id).register(registry));
            registered.add(Gauge.builder("dln.trainer.run.dev.accuracy", created, a -> a[1]).tag("run", id).register(registry));
            registered.add(Gauge.builder("dln.trainer.run.elbo", created, a -> a[2]).tag("run", id).register(registry));
            meters.put(id, registered);
            return created;
        });
        v[0] = iterationsDone;
        if (report.devAccuracy() != null) v[1] = report.devAccuracy();
        if (report.elbo() != null) v[2] = report.elbo();
    }

    void forget(String runId) {
        values.remove(runId);
        List<Meter> registered = meters.remove(runId);
        if (registered != null) registered.forEach(registry::remove);
    }
}
