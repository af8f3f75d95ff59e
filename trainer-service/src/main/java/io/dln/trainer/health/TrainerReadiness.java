package io.dln.trainer.health;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import java.util.Locale;

/** Readiness that tells the truth about whether this trainer can make progress (see {@link TrainerProgress}), and why not. */
@Readiness
@ApplicationScoped
public class TrainerReadiness implements HealthCheck {

    private final TrainerProgress progress;

    public TrainerReadiness(TrainerProgress progress) {
        this.progress = progress;
    }

    @Override
    public HealthCheckResponse call() {
        boolean heapOk = progress.heapOk();
        boolean runsOk = progress.runsProgress();
        boolean resultsOk = progress.holdsResults();
        double heap = progress.heapAfterGcShare();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("trainer progress").status(heapOk && runsOk && resultsOk)
                .withData("gcShare", String.format(Locale.ROOT, "%.3f", progress.gcShare()))
                .withData("heapAfterGc", Double.isNaN(heap) ? "unknown" : String.format(Locale.ROOT, "%.3f", heap))
                .withData("resultsPartition", progress.resultsPartition())
                .withData("stalledRuns", String.join(",", progress.stalledRuns()));
        if (!heapOk) {
            response.withData("heap", "nearly exhausted: give the trainer more heap, fewer runs at once (dln.trainer.max-active-runs), "
                    + "or runs with smaller steps (batchSize, hSamples, pSamples)");
        }
        if (!runsOk) {
            response.withData("progress", "calls outstanding without any answer for over " + progress.config().stallAfter().toSeconds()
                    + " s: check that the sampler and scorer services run and reach their backends");
        }
        if (!resultsOk) {
            response.withData("results", "results partition " + progress.resultsPartition() + " is held by another trainer;"
                    + " restart this one or give the results topic more partitions");
        }
        return response.build();
    }
}
