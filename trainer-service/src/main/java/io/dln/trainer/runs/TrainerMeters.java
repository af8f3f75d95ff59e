package io.dln.trainer.runs;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Duration;

/**
 * Registers the trainer's step meters when it starts, at zero: the dashboard and the alert DlnTrainingStuck query
 * them before the trainer has trained anything. The timers publish histogram buckets (from 10 ms to 30 min), so a
 * p95 over several trainers is a histogram_quantile over their summed buckets.
 */
@ApplicationScoped
public class TrainerMeters {

    void register(@Observes StartupEvent event, MeterRegistry registry) {
        steps(registry);
        training(registry);
        checkpoint(registry);
    }

    static Counter steps(MeterRegistry registry) {
        return Counter.builder("dln.trainer.steps").description("Training steps (iterations) done by this trainer")
                .register(registry);
    }

    static Timer training(MeterRegistry registry) {
        return Timer.builder("dln.trainer.step.training").description("A training step, its LLM calls included")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(10)).maximumExpectedValue(Duration.ofMinutes(30))
                .register(registry);
    }

    static Timer checkpoint(MeterRegistry registry) {
        return Timer.builder("dln.trainer.step.checkpoint")
                .description("Storing a step's history row and checkpoint in one transaction")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(1))
                .register(registry);
    }
}
