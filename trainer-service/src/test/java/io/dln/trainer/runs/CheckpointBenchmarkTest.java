package io.dln.trainer.runs;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dln.core.model.Candidate;
import io.dln.core.model.CandidateOrigin;
import io.dln.core.model.DlnSettings;
import io.dln.core.model.HiddenSample;
import io.dln.core.model.NetworkPrompts;
import io.dln.core.model.RememberedPrompts;
import io.dln.core.train.IterationReport;
import io.dln.core.train.StepTrace;
import io.dln.core.train.TrainingState;
import io.dln.store.DatasetEntity;
import io.dln.store.RunEntity;
import io.dln.store.RunStatus;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What storing a step costs with its trace and without: the trainer's transaction (history row, trace, checkpoint, run
 * progress) for a DLN-2 step of the pipeline benchmark's size (batch 10, 10 h-samples, 10 candidates per layer), on the
 * real PostgreSQL, the two kinds interleaved so that both see the same load. Prints medians and their ratio and writes
 * them to target/benchmarks/checkpoint.json; asserts nothing about time.
 * Run: {@code ./mvnw -B verify -Pbenchmark -pl trainer-service -Dtest=CheckpointBenchmarkTest}.
 */
@QuarkusTest
@Tag("benchmark")
class CheckpointBenchmarkTest {

    private static final int WARM_UP = 50;
    private static final int MEASURED = 300;

    @Inject
    RunStore store;

    @Test
    void storingAStepWithItsTraceAgainstWithout() throws Exception {
        UUID traced = runningRun();
        UUID plain = runningRun();
        long[] withTrace = new long[MEASURED];
        long[] without = new long[MEASURED];
        for (int i = 0; i < WARM_UP + MEASURED; i++) {
            TrainingState state = state(i + 1);
            long t0 = System.nanoTime();
            store.saveIteration(traced, OWNER, state, report(i, true), List.of());
            long t1 = System.nanoTime();
            store.saveIteration(plain, OWNER, state, report(i, false), List.of());
            long t2 = System.nanoTime();
            if (i >= WARM_UP) {
                withTrace[i - WARM_UP] = t1 - t0;
                without[i - WARM_UP] = t2 - t1;
            }
        }
        int traceBytes = new ObjectMapper().writeValueAsBytes(report(0, true).trace()).length;
        double withMedian = percentile(withTrace, 50);
        double withoutMedian = percentile(without, 50);
        System.out.printf("%nStoring a DLN-2 step (batch 10, 10 h-samples, 10 candidates per layer), %d times each after %d of warm-up:%n",
                MEASURED, WARM_UP);
        System.out.printf("  without its trace: median %.2f ms, p90 %.2f ms%n", withoutMedian, percentile(without, 90));
        System.out.printf("  with its trace (%,d bytes of JSON): median %.2f ms, p90 %.2f ms%n", traceBytes, withMedian, percentile(withTrace, 90));
        System.out.printf("  ratio of medians: %.2f x%n", withMedian / withoutMedian);
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("withoutTraceMedianMillis", withoutMedian);
        figures.put("withoutTraceP90Millis", percentile(without, 90));
        figures.put("withTraceMedianMillis", withMedian);
        figures.put("withTraceP90Millis", percentile(withTrace, 90));
        figures.put("ratioOfMedians", withMedian / withoutMedian);
        figures.put("traceBytes", traceBytes);
        Path out = Path.of("target", "benchmarks", "checkpoint.json");
        Files.createDirectories(out.getParent());
        Files.writeString(out, new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(figures));
    }

    private static final String OWNER = "checkpoint-bench";
    private static final String TENANT = "trainer-bench";

    /** No run of the benchmark is left for a trainer to find. */
    @org.junit.jupiter.api.AfterEach
    void removeRuns() {
        QuarkusTransaction.requiringNew().run(() -> {
            RunEntity.delete("tenant", TENANT);
            DatasetEntity.delete("tenant", TENANT);
        });
    }

    private static UUID runningRun() {
        return QuarkusTransaction.requiringNew().call(() -> {
            DatasetEntity data = new DatasetEntity();
            data.id = UUID.randomUUID();
            data.tenant = TENANT;
            data.name = "bench-" + data.id;
            data.instruction = "";
            data.loss = "exact_match";
            data.createdAt = OffsetDateTime.now();
            data.persist();
            RunEntity run = new RunEntity();
            run.id = UUID.randomUUID();
            run.tenant = data.tenant;
            run.datasetId = data.id;
            run.modelName = "bench";
            run.status = RunStatus.RUNNING;
            run.settings = DlnSettings.builder().layers(2).iterations(1000).batchSize(10).hSamples(10).pSamples(10).build();
            run.forwardBackend = run.backwardBackend = run.scoringBackend = "simulator";
            run.iterations = 1000;
            run.leaseOwner = OWNER;
            run.leaseUntil = OffsetDateTime.now().plusHours(1);
            run.createdAt = run.updatedAt = OffsetDateTime.now();
            run.persist();
            return run.id;
        });
    }

    private static String text(String what, int i, int length) {
        StringBuilder sb = new StringBuilder(what).append(' ').append(i).append(':');
        while (sb.length() < length) sb.append(" the basket holds three apples and two pears");
        return sb.substring(0, length);
    }

    private static TrainingState state(int iteration) {
        NetworkPrompts prompts = new NetworkPrompts(text("hidden prompt", iteration, 400), text("output prompt", iteration, 400));
        Map<String, Double> dev = new HashMap<>();
        for (int k = 0; k < Math.min(iteration, 20); k++) dev.put(text("pair", k, 800), 0.5);
        return new TrainingState(iteration, prompts, List.of(new RememberedPrompts(prompts.p1(), prompts.p2(), 0.6)), 0.6, prompts, 0,
                iteration * 31L, dev, iteration * 10_000L, false, null);
    }

    private static IterationReport report(int iteration, boolean withTrace) {
        List<Candidate> p1 = new ArrayList<>();
        List<Candidate> p2 = new ArrayList<>();
        for (int k = 0; k < 10; k++) {
            p1.add(new Candidate(text("hidden candidate", k, 400), -1.0 - k, k == 0, k == 0 ? CandidateOrigin.CURRENT : CandidateOrigin.PROPOSAL));
            p2.add(new Candidate(text("output candidate", k, 400), -0.5 - k, k == 1, k == 0 ? CandidateOrigin.CURRENT : CandidateOrigin.PROPOSAL));
        }
        StepTrace trace = null;
        if (withTrace) {
            List<StepTrace.TracedExample> examples = new ArrayList<>();
            for (int e = 0; e < 10; e++) {
                List<HiddenSample> samples = new ArrayList<>();
                for (int s = 0; s < 10; s++) samples.add(new HiddenSample(text("analysis", s, 300), 0.1, -0.7, -12.5));
                examples.add(new StepTrace.TracedExample(e, text("question", e, 300), "even", text("analysis", e, 300), "odd", false, samples));
            }
            NetworkPrompts before = new NetworkPrompts(text("hidden prompt", iteration, 400), text("output prompt", iteration, 400));
            trace = new StepTrace(before, before, 10, examples);
        }
        return new IterationReport(iteration, null, new NetworkPrompts(p1.get(0).prompt(), p2.get(1).prompt()), -1.5, -1.0, -0.5, 0.4,
                p1, p2, iteration * 10_000L, trace);
    }

    private static double percentile(long[] nanos, int p) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1e6;
    }
}
