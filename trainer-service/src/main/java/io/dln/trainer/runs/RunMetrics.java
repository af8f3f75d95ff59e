package io.dln.trainer.runs;

import io.dln.core.train.IterationReport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Per-run gauges (iteration, dev accuracy, ELBO) for the runs trained here, and a step counter. */
final class RunMetrics {

    private final MeterRegistry registry;
    private final Counter steps;
    private final Map<String, double[]> values = new ConcurrentHashMap<>();
    private final Map<String, List<Meter>> meters = new ConcurrentHashMap<>();

    RunMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.steps = registry.counter("dln.trainer.steps");
    }

    void iterationDone(String runId, IterationReport report) {
        steps.increment();
        double[] v = values.computeIfAbsent(runId, id -> {
            double[] created = {Double.NaN, Double.NaN, Double.NaN};
            List<Meter> registered = new ArrayList<>();
            registered.add(Gauge.builder("dln.trainer.run.iteration", created, a -> a[0]).tag("run", id).register(registry));
            registered.add(Gauge.builder("dln.trainer.run.dev.accuracy", created, a -> a[1]).tag("run", id).register(registry));
            registered.add(Gauge.builder("dln.trainer.run.elbo", created, a -> a[2]).tag("run", id).register(registry));
            meters.put(id, registered);
            return created;
        });
        v[0] = report.iteration();
        if (report.devAccuracy() != null) v[1] = report.devAccuracy();
        if (report.elbo() != null) v[2] = report.elbo();
    }

    void forget(String runId) {
        values.remove(runId);
        List<Meter> registered = meters.remove(runId);
        if (registered != null) registered.forEach(registry::remove);
    }
}
