package io.dln.trainer.runs;

import io.dln.core.train.IterationReport;
import io.dln.messages.RunEvent;
import io.dln.trainer.bus.RequestBus;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.LinkedHashMap;
import java.util.Map;

/** Publishes a run's progress to the run events topic, keyed by run id. */
@ApplicationScoped
public class RunEvents {

    private final RequestBus bus;

    public RunEvents(RequestBus bus) {
        this.bus = bus;
    }

    public void started(String runId, int iteration, int iterations) {
        publish(runId, "STARTED", iteration, iterations, null, null, null, 0, null, Map.of());
    }

    /**
     * An iteration ended: its {@code iteration} is the iteration's index (0 for the first, so the last of N is N - 1; the
     * other events carry the iterations done). The dev accuracy is that of the updated prompts (when validated);
     * {@code startDevAccuracy} in the details that of the prompts the step started from, when they were validated first
     * (the initial prompts, or prompts a person set). {@code trainingMillis}: the iteration's own time;
     * {@code checkpointMillis}: storing it with its checkpoint; {@code elbo1}/{@code elbo2} (when the step has them): the
     * layers' ELBOs, which the Studio draws live.
     */
    public void iteration(String runId, int iterations, IterationReport report, long trainingMillis, long checkpointMillis) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("p1", report.prompts().p1());
        details.put("p2", report.prompts().p2());
        details.put("trainingMillis", trainingMillis);
        details.put("checkpointMillis", checkpointMillis);
        if (report.elbo1() != null) details.put("elbo1", report.elbo1());
        if (report.elbo2() != null) details.put("elbo2", report.elbo2());
        if (report.startDevAccuracy() != null) details.put("startDevAccuracy", report.startDevAccuracy());
        publish(runId, "ITERATION", report.iteration(), iterations, report.devAccuracy(), report.elbo(),
                report.batchAccuracy(), report.tokensUsed(), null, details);
    }

    public void evaluating(String runId, int iteration, int iterations, long tokens) {
        publish(runId, "EVALUATING", iteration, iterations, null, null, null, tokens, "testing the best prompts", Map.of());
    }

    public void finished(String runId, int iteration, int iterations, double bestDev, double test, long tokens, int modelVersion) {
        publish(runId, "FINISHED", iteration, iterations, bestDev, null, null, tokens, null,
                Map.of("testAccuracy", test, "modelVersion", modelVersion));
    }

    public void failed(String runId, int iteration, int iterations, String error) {
        publish(runId, "FAILED", iteration, iterations, null, null, null, 0, error, Map.of());
    }

    /** The run stopped between two iterations and waits to be resumed; {@code iteration} is the next one. */
    public void paused(String runId, int iteration, int iterations) {
        publish(runId, "PAUSED", iteration, iterations, null, null, null, 0, null, Map.of());
    }

    public void cancelled(String runId, int iteration, int iterations) {
        publish(runId, "CANCELLED", iteration, iterations, null, null, null, 0, null, Map.of());
    }

    private void publish(String runId, String type, int iteration, int iterations, Double dev, Double elbo,
                         Double batchAccuracy, long tokens, String message, Map<String, Object> details) {
        bus.publish(new RunEvent(runId, type, iteration, iterations, dev, elbo, batchAccuracy, tokens, message, details,
                System.currentTimeMillis()));
    }
}
