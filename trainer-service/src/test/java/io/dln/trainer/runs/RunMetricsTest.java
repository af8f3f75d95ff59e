package io.dln.trainer.runs;

import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.micrometer.prometheus.PrometheusConfig;
import io.dln.core.train.IterationReport;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The trainer's meters as the observability README describes them, on a plain Micrometer registry. */
class RunMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void stepMetersExistFromStartWithHelpTextAndHistograms() {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new TrainerMeters().register(null, prometheus);
        String scrape = prometheus.scrape();
        assertTrue(scrape.contains("dln_trainer_steps_total 0.0"), scrape);
        assertTrue(scrape.contains("# HELP dln_trainer_steps_total Training steps"), scrape);
        for (String timer : List.of("dln_trainer_step_training_seconds", "dln_trainer_step_checkpoint_seconds")) {
            assertTrue(scrape.contains(timer + "_bucket{le=\"+Inf\""), timer + " publishes buckets from the start:\n" + scrape);
            assertTrue(scrape.lines().filter(l -> l.startsWith(timer + "_bucket")).count() > 10, timer + " has buckets");
            assertTrue(scrape.lines().anyMatch(l -> l.startsWith("# HELP " + timer + " ") && l.length() > ("# HELP " + timer + " ").length()),
                    timer + " has help text");
        }
    }

    @Test
    void aRunsGaugesStayAtTheirLastValuesForAnHourAfterItEndsThenGo() {
        RunMetrics metrics = new RunMetrics(registry);
        metrics.iterationDone("r1", 3, new IterationReport(2, 0.75, null, -0.5, null, null, 0.6, List.of(), List.of(), 100), 1_000, 1_000);
        assertEquals(3, registry.get("dln.trainer.run.iteration").tag("run", "r1").gauge().value());
        assertEquals(1, registry.get("dln.trainer.steps").counter().count());
        registry.getMeters().forEach(m -> assertNotNull(m.getId().getDescription(), m.getId().getName() + " has help text"));

        metrics.forget("r1"); // the run ended here
        assertEquals(0.75, registry.get("dln.trainer.run.dev.accuracy").tag("run", "r1").gauge().value());
        metrics.removeExpired(System.nanoTime() + RunMetrics.KEPT_AFTER_END.toNanos() - 60_000_000_000L);
        assertTrue(metrics.shows("r1"), "still shown within the hour");
        metrics.removeExpired(System.nanoTime() + RunMetrics.KEPT_AFTER_END.toNanos() + 1);
        assertFalse(metrics.shows("r1"));
        assertNull(registry.find("dln.trainer.run.iteration").tag("run", "r1").gauge());
        assertNull(registry.find("dln.trainer.run.elbo").meter());
    }

    @Test
    void aRunThatGoesOnHereAfterEndingKeepsItsGauges() {
        RunMetrics metrics = new RunMetrics(registry);
        IterationReport report = new IterationReport(0, 0.5, null, null, null, null, null, List.of(), List.of(), 10);
        metrics.iterationDone("r2", 1, report, 1, 1);
        metrics.forget("r2"); // paused
        metrics.iterationDone("r2", 2, report, 1, 1); // resumed on this trainer
        metrics.removeExpired(System.nanoTime() + RunMetrics.KEPT_AFTER_END.toNanos() + 1);
        assertTrue(metrics.shows("r2"));
        Meter gauge = registry.get("dln.trainer.run.iteration").tag("run", "r2").gauge();
        assertEquals(2, ((io.micrometer.core.instrument.Gauge) gauge).value());
    }
}
