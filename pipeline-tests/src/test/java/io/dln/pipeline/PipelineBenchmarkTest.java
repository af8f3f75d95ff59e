package io.dln.pipeline;

import io.dln.core.lm.GenerationRequest;
import io.dln.core.loss.ExactMatchLoss;
import io.dln.core.model.Backends;
import io.dln.core.model.DeepLanguageNetwork;
import io.dln.core.model.DlnSettings;
import io.dln.core.template.TemplateLibrary;
import io.dln.core.train.Trainer;
import io.dln.core.train.TrainingListener;
import io.dln.core.train.TrainingState;
import io.dln.llm.BackendConfig;
import io.dln.llm.OpenAiCompatibleModel;
import io.dln.messages.LlmRequest;
import io.dln.messages.LlmResult;
import io.dln.messages.MessageCodec;
import io.dln.messages.RunEvent;
import io.dln.messages.Topics;
import io.dln.testkit.CompilerCpu;
import io.dln.testkit.KafkaBroker;
import io.dln.testkit.ServiceProcess;
import io.dln.testkit.SimulatorProcess;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Speed of the distributed pipeline against the simulator at a fixed latency and capacity. Prints its
 * figures (ratios against bounds and baselines measured in the same run); asserts nothing about time.
 * Run: {@code ./mvnw -B verify -Pbenchmark -pl pipeline-tests} (with the services packaged and a broker up).
 * {@code -Dbenchmark.warm-up-runs} and {@code -Dbenchmark.warm-up-steps} set the warm-up, and
 * {@code -Dbenchmark.<module>.<key>=<value>} hands a setting to that service, e.g.
 * {@code -Dbenchmark.scorer-service.dln.worker.batch-window=1ms}, to try it ({@code -Dbenchmark.label=NAME} keeps such a
 * variant's figures apart in pipeline.json).
 */
@Tag("benchmark")
class PipelineBenchmarkTest {

    /** Runs and consumer groups of their own, so the benchmark disturbs no test on the same broker and database. */
    static final String TENANT = "benchmark";
    static final long LATENCY_MS = 50;
    static final int CAPACITY = 64;
    /** vLLM's default for the sequences it runs at once (max_num_seqs). */
    static final int VLLM_DEFAULT_CAPACITY = 256;
    static final int STEPS = 6;
    /** A slower backend, where this machine's CPU is no longer what limits the step. */
    static final long SLOW_LATENCY_MS = 200;
    /** Warm-up: runs of this many steps, in process and through the services, before the measured run. */
    static final int WARM_UP_STEPS = Integer.getInteger("benchmark.warm-up-steps", 20);
    static final int WARM_UP_RUNS = Integer.getInteger("benchmark.warm-up-runs", 3);
    /**
     * Warm-up goes on, for at most this long per path (in process, distributed), while the JIT compiler threads still used
     * more than {@link #JIT_SETTLED} of the CPU of the last warm-up run: on two cores, with five JVMs compiling at once,
     * the services' compilers are still busy after a minute of steps, and a long run's steady state has them idle. The
     * measured run reports what they still used. {@code -Dbenchmark.max-warm-up-seconds} sets it.
     */
    static final Duration MAX_WARM_UP = Duration.ofSeconds(Integer.getInteger("benchmark.max-warm-up-seconds", 240));
    static final double JIT_SETTLED = 0.10;

    /** Sequential calls measured on each path of the round trip, and made in each of its warm-up runs. */
    static final int ROUND_TRIP_CALLS = 1000;
    private static final int CLIENT_WARM_UP = 20;
    /** The index of the warm-up run at a slow backend's own latency (its scenario's seed differs from the others'). */
    private static final int WARM_UP_AT_LATENCY = 1000;

    record Backend(long latencyMs, int capacity) {
        /** {@code -Dbenchmark.configs=l50_c256,l200_c64} measures only those; all of them by default. */
        boolean selected() {
            String only = System.getProperty("benchmark.configs", "").trim();
            return only.isEmpty() || List.of(only.split(",")).contains("l" + latencyMs + "_c" + capacity);
        }
    }

    /**
     * DLN-2 steps with batch 10, 10 hidden samples and 10 prompt samples, each against its own lower bound
     * max(dependent phases x L, calls x L / C): at L = 50 ms with a tight capacity and with vLLM's default one,
     * and at L = 200 ms. A training run is many steps on long-lived services, so warm-up runs go first (in
     * process and through the services); the measured run's first step is shown but left out of the summary.
     * It prints the CPU each process used per call, which on a small machine is what separates the two.
     */
    @Test
    void dln2StepAgainstItsLowerBound() throws Exception {
        DlnSettings settings = DlnSettings.builder().layers(2).iterations(STEPS).batchSize(10).hSamples(10).pSamples(10)
                .validateFirst(false).validateEvery(1000).build();
        DlnSettings warmUpSettings = DlnSettings.builder().layers(2).iterations(WARM_UP_STEPS).batchSize(10).hSamples(10).pSamples(10)
                .validateFirst(false).validateEvery(1000).build();
        for (Backend backend : List.of(new Backend(LATENCY_MS, CAPACITY), new Backend(LATENCY_MS, VLLM_DEFAULT_CAPACITY),
                new Backend(SLOW_LATENCY_MS, CAPACITY))) {
            if (!backend.selected()) continue;
            Map<String, String> simulatorConfig = Map.of("simulator.latency.ttft", backend.latencyMs() + "ms",
                    "simulator.latency.per-token", "0ms", "simulator.capacity.max-concurrent", String.valueOf(backend.capacity()),
                    "simulator.capacity.max-queue", "100000");
            try (Bench bench = new Bench(simulatorConfig, 256, 256)) {
                bench.sequences = backend.capacity(); // each worker sends a batch only when the server has room for it
                bench.startWorkers(1);
                java.util.function.IntFunction<Scenario> warmUps =
                        w -> Scenario.generated("basket-totals", 20, 10, 10, warmUpSettings, 100 + w);
                Scenario measured = Scenario.generated("basket-totals", 20, 10, 10, settings, 5);
                warmUp(bench, backend, "in-process", true, w -> inProcessSteps(warmUps.apply(w), bench.simulator.baseUrl()));
                Map<String, Duration> before = bench.cpu(true), compilingBefore = bench.compilerCpu(true);
                List<InProcessStep> direct = inProcessSteps(measured, bench.simulator.baseUrl());
                Map<String, Duration> inProcessCpu = Bench.since(before, bench.cpu(true));
                Map<String, Duration> inProcessCompiling = Bench.since(compilingBefore, bench.compilerCpu(true));
                // the scorer's metrics are read around the measured run, outside its CPU: read in the warm-up too (as a
                // monitored service's are), so that no first scrape's class loading and compiling runs beside the steps
                warmUp(bench, backend, "distributed", false, w -> {
                    bench.stepMillis(warmUps.apply(w));
                    bench.scorerCacheHits();
                });
                double hitsBefore = bench.scorerCacheHits();
                before = bench.cpu(false);
                compilingBefore = bench.compilerCpu(false);
                long[] distributed = bench.stepMillis(measured);
                Map<String, Duration> distributedCpu = Bench.since(before, bench.cpu(false));
                Map<String, Duration> distributedCompiling = Bench.since(compilingBefore, bench.compilerCpu(false));
                double cacheHits = bench.scorerCacheHits() - hitsBefore;
                Ratios ratios = printSteps(backend, direct, distributed, bench.checkpointMillis);
                int calls = direct.stream().mapToInt(InProcessStep::calls).sum();
                System.out.printf("  CPU per call of the measured run (%d calls), in-process: %s%n", calls, Bench.perCall(inProcessCpu, calls));
                System.out.printf("  CPU per call of the measured run, distributed: %s%n", Bench.perCall(distributedCpu, calls));
                System.out.printf("    of which JIT compiler threads, in-process: %s; distributed: %s%n",
                        Bench.perCall(inProcessCompiling, calls), Bench.perCall(distributedCompiling, calls));
                System.out.printf("  batches since the services started: %s%n", bench.batchSizes());
                // repeats across steps (an unchanged prompt on an example seen before) that the in-process memo, per step, asks again
                System.out.printf("  score calls of the measured run the scorer's result cache answered without the server: %.0f"
                        + " (of the run's %d calls)%n", cacheHits, calls);
                bench.printHeap();
                String config = "_l" + backend.latencyMs() + "_c" + backend.capacity();
                Map<String, Object> figures = new java.util.LinkedHashMap<>();
                figures.put("inprocess_over_bound" + config, BenchmarkReport.round(ratios.inProcess()));
                figures.put("distributed_over_bound" + config, BenchmarkReport.round(ratios.distributed()));
                figures.put("inprocess_over_phase_rounds" + config, BenchmarkReport.round(ratios.inProcessRounds()));
                figures.put("distributed_over_phase_rounds" + config, BenchmarkReport.round(ratios.distributedRounds()));
                figures.put("schedule_floor_over_bound" + config, BenchmarkReport.round(ratios.floorOverBound()));
                figures.put("distributed_cache_hits" + config, Math.round(cacheHits));
                figures.put("cpu_ms_per_call_inprocess" + config, BenchmarkReport.round(Bench.totalMillis(inProcessCpu) / calls));
                figures.put("cpu_ms_per_call_distributed" + config, BenchmarkReport.round(Bench.totalMillis(distributedCpu) / calls));
                figures.put("jit_cpu_ms_per_call_inprocess" + config, BenchmarkReport.round(Bench.totalMillis(inProcessCompiling) / calls));
                figures.put("jit_cpu_ms_per_call_distributed" + config, BenchmarkReport.round(Bench.totalMillis(distributedCompiling) / calls));
                distributedCpu.forEach((process, cpu) -> figures.put("cpu_ms_per_call_distributed" + config + "_" + process.replace(' ', '_'),
                        BenchmarkReport.round(cpu.toNanos() / 1e6 / calls)));
                if (backend.latencyMs() == LATENCY_MS && backend.capacity() == VLLM_DEFAULT_CAPACITY) {
                    figures.put("cpu_ms_per_call_inprocess", figures.get("cpu_ms_per_call_inprocess" + config));
                    figures.put("cpu_ms_per_call_distributed", figures.get("cpu_ms_per_call_distributed" + config));
                }
                BenchmarkReport.record(figures);
            }
        }
    }

    /**
     * A step's lower bound on a server that runs C sequences at once, each for L: max(dependent phases x L, calls x L / C).
     * Its phases cannot take less than L each, nor its calls less than the server's throughput allows.
     */
    static double bound(InProcessStep step, Backend backend) {
        return Math.max(step.phases * backend.latencyMs(), step.calls * backend.latencyMs() / (double) backend.capacity());
    }

    /**
     * An estimate closer to what a step can reach: each phase alone on the server, a phase of S sequences (scoring
     * calls, and n for a generation of n samples) taking ceil(S / C) rounds of L. Not a bound: a phase may start while
     * the last round of the one before is still in flight and fill its free room, so a step can beat it (in process by
     * 2 % at L = 200 ms, C = 64).
     */
    static double phaseRounds(InProcessStep step, Backend backend) {
        long rounds = 0;
        for (CountingModel.PhaseCalls phase : step.phaseCalls()) {
            rounds += Math.max(1, Math.ceilDiv(phase.generationSequences() + phase.scores(), backend.capacity()));
        }
        return rounds * backend.latencyMs();
    }

    /**
     * What no order of the step's calls can beat on that server: the phases before the first one with scoring calls
     * (the forward pass, then the hidden samples and the proposals that need its answers) each wait for the one
     * before, ceil(S / C) rounds of L each; from the first scoring phase on, the server can at best be kept full,
     * ceil(the rest's sequences / C) rounds; and never less than the flat bound. It is above the flat bound by the
     * room the dependent phases leave empty, which no call of the step could fill. A distributed step comes under it
     * only by sending fewer calls: the scorer's result cache answers repeats from earlier steps.
     */
    static double scheduleFloor(InProcessStep step, Backend backend) {
        long rounds = 0, rest = 0;
        boolean scoring = false;
        for (CountingModel.PhaseCalls phase : step.phaseCalls()) {
            scoring |= phase.scores() > 0;
            int sequences = phase.generationSequences() + phase.scores();
            if (scoring) rest += sequences;
            else rounds += Math.max(1, Math.ceilDiv(sequences, backend.capacity()));
        }
        return Math.max(bound(step, backend), (rounds + Math.ceilDiv(rest, backend.capacity())) * backend.latencyMs());
    }

    /**
     * Warms a path up for {@code backend}. Against a slow backend a warm-up run takes half a minute, too few calls for the
     * JIT compilers to settle in the time allowed: there the simulator answers at {@link #LATENCY_MS} until they have,
     * then one more run goes at the backend's own latency, so that the services' clients, which live across runs, have
     * learnt it in their latency windows (deadlines, hedge points) before the measured run. The in-process path makes a
     * new client for each run, so there that run only keeps the two paths' warm-ups alike.
     */
    private static void warmUp(Bench bench, Backend backend, String path, boolean inProcess, Bench.WarmUpRun run) throws Exception {
        if (backend.latencyMs() <= LATENCY_MS) {
            bench.warmUp(path, inProcess, WARM_UP_STEPS + " steps", run);
            return;
        }
        bench.simulatorTimeToFirstToken(LATENCY_MS);
        bench.warmUp(path + " at L = " + LATENCY_MS + " ms", inProcess, WARM_UP_STEPS + " steps", run);
        bench.simulatorTimeToFirstToken(backend.latencyMs());
        run.run(WARM_UP_AT_LATENCY);
    }

    /** The warm steps' times over their bounds and over their phase-round estimates, their bound in all, and its floor's ratio to it. */
    record Ratios(double inProcess, double distributed, double inProcessRounds, double distributedRounds, double boundMillis,
                  double floorOverBound) {
    }

    /** Prints each step and returns the warm steps' ratios. */
    private static Ratios printSteps(Backend backend, List<InProcessStep> direct, long[] distributed, long[] checkpoint) {
        System.out.printf("%nDLN-2 steps, simulator latency %d ms, capacity %d, after the warm-up:%n", backend.latencyMs(), backend.capacity());
        System.out.printf("  %4s %6s %6s %9s %9s %22s %22s %14s%n", "step", "calls", "phases", "bound", "rounds", "in-process", "distributed",
                "of which saved");
        double warmBound = 0, warmRounds = 0, warmFloor = 0, warmDirect = 0, warmDistributed = 0, warmCheckpoint = 0;
        for (int k = 0; k < direct.size(); k++) {
            InProcessStep step = direct.get(k);
            double bound = bound(step, backend), rounds = phaseRounds(step, backend);
            System.out.printf("  %4d %6d %6d %6.0f ms %6.0f ms %9d ms (%.2f x) %9d ms (%.2f x) %11d ms%n", k, step.calls, step.phases, bound,
                    rounds, step.millis, step.millis / bound, distributed[k], distributed[k] / bound, checkpoint[k]);
            System.out.printf("         sequences per phase (g generation, s scoring): %s%n", step.phaseCalls().stream()
                    .map(p -> p.scores() == 0 ? p.generationSequences() + "g" : p.generationSequences() == 0 ? p.scores() + "s"
                            : p.generationSequences() + "g+" + p.scores() + "s").collect(java.util.stream.Collectors.joining(", ")));
            if (k > 0) {
                warmBound += bound;
                warmRounds += rounds;
                warmFloor += scheduleFloor(step, backend);
                warmDirect += step.millis;
                warmDistributed += distributed[k];
                warmCheckpoint += checkpoint[k];
            }
        }
        System.out.printf("  steps 1-%d: bound %.0f ms (phase rounds %.0f ms); in-process %.0f ms = %.2f x bound (%.2f x rounds); distributed"
                        + " %.0f ms = %.2f x bound (%.2f x rounds), of which %.0f ms storing steps and checkpoints%n",
                direct.size() - 1, warmBound, warmRounds, warmDirect, warmDirect / warmBound, warmDirect / warmRounds, warmDistributed,
                warmDistributed / warmBound, warmDistributed / warmRounds, warmCheckpoint);
        System.out.printf("  schedule floor (no order of the step's calls beats it) %.0f ms = %.3f x bound;"
                + " distributed = %.2f x the floor%n", warmFloor, warmFloor / warmBound, warmDistributed / warmFloor);
        return new Ratios(warmDirect / warmBound, warmDistributed / warmBound, warmDirect / warmRounds, warmDistributed / warmRounds,
                warmBound, warmFloor / warmBound);
    }

    /** KEDA's target lag per scorer replica in k8s/base/scorer-service.yaml (records of dln.score.requests). */
    static final int KEDA_LAG_THRESHOLD = 5;
    static final int KEDA_MAX_REPLICAS = 6;
    /** Partitions of dln.score.requests (kafka/topics.txt: "default", 6 unless KAFKA_PARTITIONS says otherwise). */
    static final int SCORE_PARTITIONS = Integer.parseInt(System.getenv().getOrDefault("KAFKA_PARTITIONS", "6"));
    /** Sequences of the server each scorer replica may use in the scoring-bound configuration. */
    static final int SCORER_SEQUENCES = 8;
    /** Sequences of the server the sampler may use there: every generation phase fits in one round. */
    static final int SAMPLER_SEQUENCES = 256;

    /** Prompt samples per layer in the scoring-bound run: each one more candidate scored on every example and hidden sample. */
    static final int SCORING_P_SAMPLES = 20;
    static final int SCORING_STEPS = 2;
    /** Examples per step there: more calls in each scoring phase, so the partitions' share of them is closer to even. */
    static final int SCORING_BATCH = 20;

    /**
     * A run where scoring is the bottleneck, with one and with two scorer replicas. Each scorer may keep only
     * {@value #SCORER_SEQUENCES} sequences at the server (as when each replica is given its share of a server, or a
     * hosted endpoint limits each key), while the server itself has room for 1,024 and the sampler for
     * {@value #SAMPLER_SEQUENCES}. Why scoring is the bottleneck: a DLN-2 step (batch {@value #SCORING_BATCH}, 10
     * h-samples, {@value #SCORING_P_SAMPLES} p-samples) has two scoring phases of 650 to 800 distinct calls each (every
     * candidate prompt of a layer on every example and hidden sample, after dedupe) and five to seven generation phases
     * of at most 220 sequences. At L = 200 ms a generation phase is one round of L on the sampler, while a scoring phase
     * is calls / (8 x scorers) rounds: about 180 rounds of scoring against 5 of generation per step with one scorer. The bound,
     * phase after phase max(generation rounds, scoring rounds of the busiest scorer) x L, is printed for one and two
     * scorers from the steps' own calls (counted in process), and so is the speed-up it allows. It is short of 2 by the
     * generation rounds, the rounding up of each phase, and the spread of calls over the score topic's partitions: a
     * call goes to the partition of its content key (so repeats meet one scorer's cache), and with two scorers each
     * owns three of the six partitions, so one of them has a few percent more than half of a phase's calls. A scorer's
     * sequences are shared by its operations (log-probabilities and class distributions run in the same phases). The
     * lag of the scorers' consumer group is sampled through the one-scorer run, as KEDA's Kafka scaler reads it.
     */
    @Test
    void oneVersusTwoScorersWhenScoringIsTheBottleneck() throws Exception {
        DlnSettings settings = DlnSettings.builder().layers(2).iterations(SCORING_STEPS).batchSize(SCORING_BATCH).hSamples(10)
                .pSamples(SCORING_P_SAMPLES).validateFirst(false).validateEvery(1000).build();
        DlnSettings warmUp = DlnSettings.builder().layers(2).iterations(1).batchSize(10).hSamples(10).pSamples(10)
                .validateFirst(false).validateEvery(1000).build();
        Map<String, String> simulatorConfig = Map.of("simulator.latency.ttft", SLOW_LATENCY_MS + "ms", "simulator.latency.per-token", "0ms",
                "simulator.capacity.max-concurrent", "1024", "simulator.capacity.max-queue", "100000");
        Scenario measured = Scenario.generated("basket-totals", 40, 10, 10, settings, 6);
        long[] millis = new long[2];
        long[][] stepMillis = new long[2][];
        LagWatch.Figures lag = null;
        List<InProcessStep> direct = null;
        for (int scorers = 1; scorers <= 2; scorers++) {
            try (Bench bench = new Bench(simulatorConfig, 256, 256)) {
                if (direct == null) direct = inProcessSteps(measured, bench.simulator.baseUrl());
                bench.sequences = SAMPLER_SEQUENCES;
                bench.scorerSequences = SCORER_SEQUENCES;
                bench.startWorkers(scorers);
                bench.stepMillis(Scenario.generated("basket-totals", 20, 10, 10, warmUp, 5));
                try (LagWatch watch = new LagWatch(bench.bootstrap, "benchmark-scorer-service", Topics.SCORE_REQUESTS)) {
                    stepMillis[scorers - 1] = bench.stepMillis(measured);
                    millis[scorers - 1] = Arrays.stream(stepMillis[scorers - 1]).sum();
                    if (scorers == 1) lag = watch.figures();
                }
                System.out.printf("  %d scorer(s), batches since the services started: %s%n", scorers, bench.batchSizes());
            }
        }
        double speedUp = millis[0] / (double) millis[1];
        int desired = Math.min(KEDA_MAX_REPLICAS, (int) Math.ceil(lag.max() / (double) KEDA_LAG_THRESHOLD));
        ScoringBound one = ScoringBound.of(direct, 1), two = ScoringBound.of(direct, 2);
        System.out.printf("%nDLN-2 run of %d steps (batch %d, 10 h-samples, %d p-samples) after a warm-up step, L = %d ms, each scorer"
                + " limited to %d sequences at the server:%n", SCORING_STEPS, SCORING_BATCH, SCORING_P_SAMPLES, SLOW_LATENCY_MS, SCORER_SEQUENCES);
        for (int k = 0; k < direct.size(); k++) {
            InProcessStep step = direct.get(k);
            System.out.printf("  step %d: %d phases; per phase generation sequences / scoring calls (by partition): %s%n", k, step.phases(),
                    step.phaseCalls().stream().map(c -> c.generationSequences() + "/" + c.scores() + Arrays.toString(c.scoresByPartition()))
                            .toList());
        }
        System.out.printf("  bound (rounds of L: a generation phase one per %d sequences, a scoring phase one per %d calls a scorer has):%n",
                SAMPLER_SEQUENCES, SCORER_SEQUENCES);
        System.out.printf("    1 scorer: %d ms (%d rounds, of which %d generation-only and %d scoring rounds)%n", one.millis(), one.rounds(),
                one.generationRounds(), one.scoringRounds());
        System.out.printf("    2 scorers, calls spread evenly: %d ms (%d rounds); with the range assignment of %d partitions (%s): %d ms%n",
                two.millis(), two.rounds(), SCORE_PARTITIONS, two.assignment(), two.assignedMillis());
        System.out.printf("    ideal speed-up the bound allows: %.2f x (even spread), %.2f x (range assignment)%n",
                one.millis() / (double) two.millis(), one.millis() / (double) two.assignedMillis());
        System.out.printf("  measured: 1 scorer %d ms (%.2f x bound; steps %s); 2 scorers %d ms (%.2f x bound; steps %s); speed-up %.2f x"
                        + " (target >= 1.8)%n", millis[0], millis[0] / (double) one.millis(), Arrays.toString(stepMillis[0]), millis[1],
                millis[1] / (double) two.millis(), Arrays.toString(stepMillis[1]), speedUp);
        System.out.printf("  lag of the scorers' group during the 1-scorer run (records, sampled every %d ms): max %d, median %d,"
                        + " above %d in %.0f%% of samples; KEDA (lagThreshold %d) would ask for %d scorers%n",
                LagWatch.INTERVAL_MS, lag.max(), lag.median(), KEDA_LAG_THRESHOLD, lag.shareAbove(KEDA_LAG_THRESHOLD) * 100,
                KEDA_LAG_THRESHOLD, desired);
        Map<String, Object> figures = new java.util.LinkedHashMap<>();
        figures.put("scorer_speedup_1_to_2", BenchmarkReport.round(speedUp));
        figures.put("scorer_run_1_ms", millis[0]);
        figures.put("scorer_run_2_ms", millis[1]);
        figures.put("scorer_bound_1_ms", one.millis());
        figures.put("scorer_bound_2_ms", two.millis());
        figures.put("scorer_ideal_speedup_1_to_2", BenchmarkReport.round(one.millis() / (double) two.millis()));
        figures.put("scorer_assigned_speedup_1_to_2", BenchmarkReport.round(one.millis() / (double) two.assignedMillis()));
        figures.put("scorer_lag_max_records", lag.max());
        figures.put("scorer_lag_median_records", lag.median());
        figures.put("keda_desired_scorers", desired);
        BenchmarkReport.record(figures);
    }

    /**
     * The least time {@code scorers} scorers of {@value #SCORER_SEQUENCES} sequences each could take for these steps, in
     * rounds of L: phase after phase, a phase takes as many rounds as its scoring calls need on the scorer with the most
     * of them (at least one), or its generations on the sampler.
     */
    record ScoringBound(int rounds, int generationRounds, int scoringRounds, int assignedRounds, String assignment) {

        static ScoringBound of(List<InProcessStep> steps, int scorers) {
            int[][] owned = rangeAssignment(SCORE_PARTITIONS, scorers);
            int rounds = 0, generationOnly = 0, scoring = 0, assigned = 0;
            for (InProcessStep step : steps) {
                for (CountingModel.PhaseCalls phase : step.phaseCalls()) {
                    int generation = ceil(phase.generationSequences(), SAMPLER_SEQUENCES);
                    if (phase.scores() == 0) {
                        generationOnly += generation;
                        rounds += generation;
                        assigned += generation;
                        continue;
                    }
                    int even = ceil(ceil(phase.scores(), scorers), SCORER_SEQUENCES);
                    int busiest = 0;
                    for (int[] partitions : owned) busiest = Math.max(busiest, Arrays.stream(partitions).map(p -> phase.scoresByPartition()[p]).sum());
                    scoring += even;
                    rounds += Math.max(generation, even);
                    assigned += Math.max(generation, ceil(busiest, SCORER_SEQUENCES));
                }
            }
            return new ScoringBound(rounds, generationOnly, scoring, assigned, Arrays.deepToString(owned));
        }

        long millis() {
            return rounds * SLOW_LATENCY_MS;
        }

        long assignedMillis() {
            return assignedRounds * SLOW_LATENCY_MS;
        }

        /** Kafka's range assignor: each consumer a run of partitions, the first ones one more when they do not divide evenly. */
        static int[][] rangeAssignment(int partitions, int consumers) {
            int[][] owned = new int[consumers][];
            for (int c = 0, from = 0; c < consumers; c++) {
                int size = partitions / consumers + (c < partitions % consumers ? 1 : 0);
                owned[c] = java.util.stream.IntStream.range(from, from + size).toArray();
                from += size;
            }
            return owned;
        }

        private static int ceil(int a, int b) {
            return (a + b - 1) / b;
        }
    }

    /**
     * A large DLN-2 step (batch 20, 20 h-samples, 20 prompt samples), distributed, at L = 200 ms and C = 256: its ratio
     * to its bound, the most heap each service used while it ran (sampled), and the time to store each step.
     */
    @Test
    void largeDln2StepAgainstItsLowerBound() {
        int steps = 3;
        DlnSettings settings = DlnSettings.builder().layers(2).iterations(steps).batchSize(20).hSamples(20).pSamples(20)
                .validateFirst(false).validateEvery(1000).build();
        Backend backend = new Backend(SLOW_LATENCY_MS, VLLM_DEFAULT_CAPACITY);
        Map<String, String> simulatorConfig = Map.of("simulator.latency.ttft", backend.latencyMs() + "ms",
                "simulator.latency.per-token", "0ms", "simulator.capacity.max-concurrent", String.valueOf(backend.capacity()),
                "simulator.capacity.max-queue", "100000");
        Scenario measured = Scenario.generated("basket-totals", 40, 10, 10, settings, 8);
        // before dedupe: every candidate of each layer scored on every example and hidden sample
        long beforeDedupe = 2L * (settings.pSamples() + 1) * settings.batchSize() * settings.hSamples();
        try (Bench bench = new Bench(simulatorConfig, 256, 256)) {
            bench.sequences = backend.capacity();
            bench.startWorkers(1);
            List<InProcessStep> direct = inProcessSteps(measured, bench.simulator.baseUrl());
            bench.stepMillis(Scenario.generated("basket-totals", 40, 10, 10, DlnSettings.builder().layers(2).iterations(1).batchSize(20)
                    .hSamples(20).pSamples(20).validateFirst(false).validateEvery(1000).build(), 9)); // warm-up
            long[] distributed;
            Map<String, Double> heap;
            try (HeapWatch watch = new HeapWatch(bench)) {
                distributed = bench.stepMillis(measured);
                heap = watch.most();
            }
            Ratios ratios = printSteps(backend, direct, distributed, bench.checkpointMillis);
            double bound = ratios.boundMillis(), checkpoint = 0, calls = 0;
            for (int k = 1; k < steps; k++) {
                checkpoint += bench.checkpointMillis[k];
                calls += direct.get(k).calls();
            }
            System.out.printf("  large step: %d scoring prompts per step before dedupe, %.0f distinct calls per step after; bound %.0f ms per step%n",
                    beforeDedupe, calls / (steps - 1), bound / (steps - 1));
            System.out.printf("  most heap in use while it ran (MB, sampled every %d ms): %s%n", HeapWatch.INTERVAL_MS, heap);
            BenchmarkReport.record(new java.util.LinkedHashMap<>(Map.of(
                    "large_step_over_bound", BenchmarkReport.round(ratios.distributed()),
                    "large_step_inprocess_over_bound", BenchmarkReport.round(ratios.inProcess()),
                    "large_step_over_phase_rounds", BenchmarkReport.round(ratios.distributedRounds()),
                    "large_step_bound_ms", Math.round(bound / (steps - 1)),
                    "large_step_calls", Math.round(calls / (steps - 1)),
                    "large_step_scoring_prompts_before_dedupe", beforeDedupe,
                    "trainer_heap_mb", Math.round(heap.getOrDefault("trainer-service", -1.0)),
                    "service_heap_max_mb", Math.round(heap.values().stream().mapToDouble(Double::doubleValue).max().orElse(-1)),
                    "large_step_checkpoint_ms", Math.round(checkpoint / (steps - 1)))));
        }
    }

    /** Latency of one generation call through Kafka and the sampler, against calling the simulator directly. */
    @Test
    void kafkaRoundTripOverheadPerCall() throws Exception {
        int n = ROUND_TRIP_CALLS;
        try (Bench bench = new Bench(Map.of(), 64, 64)) {
            bench.startWorkers(1);
            long[] direct;
            try (OpenAiCompatibleModel client = OpenAiCompatibleModel.create(BackendConfig.of("direct", bench.simulator.baseUrl() + "/v1",
                    Pipeline.MODEL))) {
                bench.warmUp("direct HTTP", true, n + " calls", run -> directCalls(client, n));
                direct = directCalls(client, n);
            }
            bench.warmUp("through Kafka", false, n + " calls", run -> bench.roundTrips(n, PipelineBenchmarkTest::request));
            long[] viaKafka = bench.roundTrips(n, PipelineBenchmarkTest::request);
            System.out.printf("%nOne generation call, simulator at zero latency, %d sequential calls after the warm-up:%n", n);
            System.out.printf("  direct HTTP: median %.2f ms, p99 %.2f ms%n", percentile(direct, 50), percentile(direct, 99));
            System.out.printf("  through Kafka and the sampler: median %.2f ms, p99 %.2f ms%n", percentile(viaKafka, 50), percentile(viaKafka, 99));
            System.out.printf("  of which in the sampler (request taken to result ready, whole ms): median %.0f ms, p99 %.0f ms%n",
                    percentile(bench.workerMillis, 50), percentile(bench.workerMillis, 99));
            // whole milliseconds each, but their means over many calls are finer (the clocks' phase is uniform); the
            // middle 80 % keeps the tail of a few slow calls out
            System.out.printf("  legs, mean of the middle 80 %% of calls: request sent to result handed to the sampler's producer %.2f ms;"
                    + " from there to this consumer %.2f ms%n", middleMean(bench.requestLegMillis), middleMean(bench.resultLegMillis));
            System.out.printf("  overhead: median %.2f ms (target <= 2), p99 %.2f ms%n",
                    percentile(viaKafka, 50) - percentile(direct, 50), percentile(viaKafka, 99) - percentile(direct, 99));
            BenchmarkReport.record(new java.util.LinkedHashMap<>(Map.of(
                    "kafka_overhead_median_ms", BenchmarkReport.round(percentile(viaKafka, 50) - percentile(direct, 50)),
                    "kafka_overhead_p99_ms", BenchmarkReport.round(percentile(viaKafka, 99) - percentile(direct, 99)),
                    "direct_call_median_ms", BenchmarkReport.round(percentile(direct, 50)))));
        }
    }

    private static long[] directCalls(OpenAiCompatibleModel client, int n) {
        long[] nanos = new long[n];
        for (int i = 0; i < n; i++) {
            long start = System.nanoTime();
            client.generate(List.of(request(i))).join();
            nanos[i] = System.nanoTime() - start;
        }
        return nanos;
    }

    private static double middleMean(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return Arrays.stream(sorted, sorted.length / 10, sorted.length - sorted.length / 10).average().orElse(0);
    }

    private static GenerationRequest request(int i) {
        return new GenerationRequest("### Input\nround trip " + i + "\n\n### Answer\n", 1, 0.0, 4, List.of("\n\n"), 0);
    }

    record InProcessStep(int calls, int phases, long millis, List<CountingModel.PhaseCalls> phaseCalls) {
    }

    /** The scenario's steps done in this process straight against the simulator, each with its calls, phases and time. */
    static List<InProcessStep> inProcessSteps(Scenario scenario, String simulatorBaseUrl) {
        try (OpenAiCompatibleModel client = OpenAiCompatibleModel.create(BackendConfig.of("direct", simulatorBaseUrl + "/v1", Pipeline.MODEL)
                .withLimits(256, 0, 0))) {
            CountingModel counting = new CountingModel(client, Pipeline.BACKEND, SCORE_PARTITIONS);
            DeepLanguageNetwork network = new DeepLanguageNetwork(scenario.settings(), TemplateLibrary.builtIn(), Backends.single(counting),
                    scenario.dataset().outputClasses(), new ExactMatchLoss());
            Trainer trainer = new Trainer(network, scenario.dataset(), () -> 0, TrainingListener.NONE);
            TrainingState state = trainer.start(scenario.seed());
            List<InProcessStep> steps = new ArrayList<>();
            for (int k = 0; k < scenario.settings().iterations(); k++) {
                counting.reset();
                long t0 = System.nanoTime();
                state = trainer.runIteration(state);
                steps.add(new InProcessStep(counting.calls.get(), counting.phases.get(), (System.nanoTime() - t0) / 1_000_000,
                        counting.phaseCalls()));
            }
            return steps;
        }
    }

    static double percentile(long[] nanos, int p) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1e6;
    }

    /** A simulator, workers and a trainer for one measurement. */
    static final class Bench implements AutoCloseable {
        final String bootstrap = KafkaBroker.ensureRunning();
        final SimulatorProcess simulator;
        final int workerConcurrency;
        final int backendConcurrency;
        final List<ServiceProcess> processes = new ArrayList<>();
        ServiceProcess trainer;
        /** Sequences the server runs at once for each worker (dln.backends.*.max-concurrent-sequences). */
        int sequences = 256;
        /** The same for each scorer, when it differs. */
        Integer scorerSequences;

        Bench(Map<String, String> simulatorConfig, int workerConcurrency, int backendConcurrency) {
            this.simulator = SimulatorProcess.start(simulatorConfig);
            this.workerConcurrency = workerConcurrency;
            this.backendConcurrency = backendConcurrency;
        }

        void startWorkers(int scorers) {
            processes.add(worker("sampler-service"));
            for (int i = 0; i < scorers; i++) processes.add(worker("scorer-service"));
        }

        private ServiceProcess worker(String module) {
            String channel = module.equals("sampler-service") ? Topics.GENERATE_REQUESTS : Topics.SCORE_REQUESTS;
            return ServiceProcess.builder(module)
                    .systemProperty("kafka.bootstrap.servers", bootstrap)
                    .systemProperty("mp.messaging.incoming.\"" + channel + "\".group.id", "benchmark-" + module)
                    .systemProperty("dln.worker.max-concurrency", String.valueOf(workerConcurrency))
                    .systemProperty("dln.backends." + Pipeline.BACKEND + ".base-url", simulator.baseUrl() + "/v1")
                    .systemProperty("dln.backends." + Pipeline.BACKEND + ".model", Pipeline.MODEL)
                    .systemProperty("dln.backends." + Pipeline.BACKEND + ".max-concurrent-requests", String.valueOf(backendConcurrency))
                    .systemProperty("dln.backends." + Pipeline.BACKEND + ".max-concurrent-sequences", String.valueOf(
                            module.equals("scorer-service") && scorerSequences != null ? scorerSequences : sequences))
                    .systemProperties(passedOn("benchmark." + module + "."))
                    .start();
        }

        /** Per step of the last {@link #stepMillis} run, the trainer's time storing it with its checkpoint. */
        long[] checkpointMillis;

        /** Runs the scenario on this bench's trainer and returns each step's wall time, from the run's events. */
        long[] stepMillis(Scenario scenario) {
            int steps = scenario.settings().iterations();
            try (KafkaConsumer<String, String> events = endReader(Topics.RUN_EVENTS)) {
                if (trainer == null) {
                    trainer = ServiceProcess.builder("trainer-service")
                            .systemProperty("kafka.bootstrap.servers", bootstrap)
                            .systemProperty("quarkus.datasource.jdbc.url", Db.URL)
                            .systemProperty("dln.trainer.instance-id", "bench-" + UUID.randomUUID())
                            .systemProperty("dln.trainer.tenants", TENANT)
                            // a large step's last messages wait for the server's room: no re-send while they do
                            .systemProperty("dln.trainer.request-timeout", "120s")
                            .systemProperties(passedOn("benchmark.trainer-service."))
                            .start();
                    processes.add(trainer);
                }
                String runId = scenario.start(Pipeline.BACKEND, null, TENANT).toString();
                long[] ended = new long[steps + 1];
                long[] saved = new long[steps];
                long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
                while (System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, String> record : events.poll(Duration.ofMillis(200))) {
                        RunEvent event = MessageCodec.fromJson(record.value(), RunEvent.class);
                        if (!event.runId().equals(runId)) continue;
                        switch (event.type()) {
                            case "STARTED" -> ended[0] = event.timestampEpochMillis();
                            case "ITERATION" -> { // carries the iteration's index; the last one also validates its prompts
                                int done = event.iteration() + 1;
                                if (done >= 1 && done <= steps) {
                                    ended[done] = event.timestampEpochMillis();
                                    saved[done - 1] = ((Number) event.details().get("checkpointMillis")).longValue();
                                }
                            }
                            case "FAILED" -> throw new IllegalStateException("run failed: " + event.message());
                            case "FINISHED" -> {
                                long[] millis = new long[steps];
                                for (int k = 0; k < steps; k++) millis[k] = ended[k + 1] - ended[k];
                                checkpointMillis = saved;
                                return millis;
                            }
                            default -> { }
                        }
                    }
                }
                throw new IllegalStateException("run " + runId + " did not finish within 5 minutes");
            }
        }

        /** Per call, the sampler's own time from taking the request to having its result (whole milliseconds). */
        long[] workerMillis;
        /**
         * Per call, wall-clock milliseconds from sending the request to the sampler handing its result to its producer
         * (the result record's create time), and from then to this consumer having it: the two legs of the round trip.
         */
        long[] requestLegMillis, resultLegMillis;

        long[] roundTrips(int n, java.util.function.IntFunction<GenerationRequest> requests) throws Exception {
            workerMillis = new long[n];
            requestLegMillis = new long[n];
            resultLegMillis = new long[n];
            int partition = 5;
            TopicPartition results = new TopicPartition(Topics.RESULTS, partition);
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap, "linger.ms", 0),
                    new StringSerializer(), new StringSerializer());
                 KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap,
                         "enable.auto.commit", false, "fetch.max.wait.ms", 100), new StringDeserializer(), new StringDeserializer())) {
                consumer.assign(List.of(results));
                consumer.seekToEnd(List.of(results));
                consumer.position(results);
                long[] latencies = new long[n];
                String runId = "bench-" + UUID.randomUUID();
                // a few calls first, unmeasured: a new producer's first send waits for the topic's metadata
                for (int i = -CLIENT_WARM_UP; i < n; i++) {
                    String id = runId + "-" + i;
                    LlmRequest request = LlmRequest.generate(id, runId, 0, System.currentTimeMillis() + 30_000, Pipeline.BACKEND, partition,
                            requests.apply(i));
                    long start = System.nanoTime(), sentAt = System.currentTimeMillis();
                    producer.send(new ProducerRecord<>(Topics.GENERATE_REQUESTS, id, MessageCodec.toJson(request)));
                    boolean answered = false;
                    while (!answered) {
                        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(1000))) {
                            LlmResult result = MessageCodec.fromJson(record.value(), LlmResult.class);
                            if (result.requestId().equals(id)) {
                                answered = true;
                                if (i >= 0) {
                                    workerMillis[i] = result.latencyMillis() * 1_000_000;
                                    requestLegMillis[i] = record.timestamp() - sentAt;
                                    resultLegMillis[i] = System.currentTimeMillis() - record.timestamp();
                                }
                            }
                        }
                    }
                    if (i >= 0) latencies[i] = System.nanoTime() - start;
                }
                return latencies;
            }
        }

        /** System properties of this JVM named {@code prefix + name}, as {@code name}: settings to try on the services. */
        private static Map<String, String> passedOn(String prefix) {
            Map<String, String> passed = new java.util.HashMap<>();
            System.getProperties().stringPropertyNames().stream().filter(n -> n.startsWith(prefix))
                    .forEach(n -> passed.put(n.substring(prefix.length()), System.getProperty(n)));
            return passed;
        }

        /** CPU time used so far by each process taking part: this JVM (in-process) or the services, the simulator and the broker. */
        Map<String, Duration> cpu(boolean inProcess) {
            return cpu(inProcess, Bench::cpuOf);
        }

        /** What {@code used} says each process of the path has used: this JVM or the services and the broker; the simulator. */
        private Map<String, Duration> cpu(boolean inProcess, java.util.function.LongFunction<Duration> used) {
            Map<String, Duration> cpu = new java.util.LinkedHashMap<>();
            if (inProcess) {
                cpu.put("benchmark JVM", used.apply(ProcessHandle.current().pid()));
            } else {
                for (ServiceProcess process : processes) cpu.merge(process.module(), used.apply(process.pid()), Duration::plus);
                ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains("kafka.Kafka")).findFirst()
                        .ifPresent(broker -> cpu.put("broker", used.apply(broker.pid())));
            }
            cpu.put("simulator", used.apply(simulator.process().pid()));
            return cpu;
        }

        /** One warm-up run; {@code index} counts the runs from 0. */
        interface WarmUpRun {
            void run(int index) throws Exception;
        }

        /**
         * Runs {@link #WARM_UP_RUNS} of {@code run} ({@code each} says what one run does), then more while the JIT compiler
         * threads used more than {@link #JIT_SETTLED} of the CPU of the processes of that path in the last run, for up to
         * {@link #MAX_WARM_UP} in all.
         */
        void warmUp(String path, boolean inProcess, String each, WarmUpRun run) throws Exception {
            double share = 1;
            List<String> shares = new ArrayList<>();
            long start = System.nanoTime();
            while (shares.size() < WARM_UP_RUNS || (share > JIT_SETTLED && System.nanoTime() - start < MAX_WARM_UP.toNanos())) {
                Map<String, Duration> cpuBefore = cpu(inProcess), compilingBefore = compilerCpu(inProcess);
                run.run(shares.size());
                double all = totalMillis(since(cpuBefore, cpu(inProcess)));
                share = all == 0 ? 0 : totalMillis(since(compilingBefore, compilerCpu(inProcess))) / all;
                shares.add(String.format("%.0f %%", 100 * share));
            }
            System.out.printf("  %s warm-up: %d runs of %s in %d s; the JIT compiler threads' share of the CPU in each: %s%n", path,
                    shares.size(), each, Duration.ofNanos(System.nanoTime() - start).toSeconds(), String.join(", ", shares));
        }

        /** Of {@link #cpu}, what the JIT compiler threads used: the part a long run pays only once. */
        Map<String, Duration> compilerCpu(boolean inProcess) {
            return cpu(inProcess, CompilerCpu::of);
        }

        static Map<String, Duration> since(Map<String, Duration> before, Map<String, Duration> after) {
            Map<String, Duration> used = new java.util.LinkedHashMap<>();
            after.forEach((name, total) -> used.put(name, total.minus(before.getOrDefault(name, Duration.ZERO))));
            return used;
        }

        static double totalMillis(Map<String, Duration> used) {
            return used.values().stream().mapToLong(Duration::toNanos).sum() / 1e6;
        }

        /**
         * Since the services started: per worker, the request messages it served and the calls they carried on average
         * (dln.worker.request.calls), and for a scorer its backend calls and the prompts each carried (dln.scorer.batch.size).
         */
        String batchSizes() {
            StringBuilder line = new StringBuilder();
            for (ServiceProcess process : processes) {
                if (process == trainer) continue;
                String metrics = metricsOf(process);
                double messages = sum(metrics, "dln_worker_request_calls_count");
                double calls = sum(metrics, "dln_worker_request_calls_sum");
                line.append(String.format("%s: %.0f messages, %.1f calls per message", process.module(), messages,
                        messages == 0 ? 0 : calls / messages));
                if (process.module().equals("scorer-service")) {
                    double count = sum(metrics, "dln_scorer_batch_size_count");
                    double total = sum(metrics, "dln_scorer_batch_size_sum");
                    line.append(String.format(", %.0f backend calls of %.1f prompts on average", count, count == 0 ? 0 : total / count));
                }
                line.append("; ");
            }
            return line.toString();
        }

        /** Sets the simulator's time to first token (its latency L here) while it runs. */
        void simulatorTimeToFirstToken(long millis) throws Exception {
            HttpResponse<String> set = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(simulator.baseUrl()
                            + "/simulator/latency/ttft")).header("Content-Type", "text/plain").PUT(HttpRequest.BodyPublishers.ofString(
                            Long.toString(millis))).build(), HttpResponse.BodyHandlers.ofString());
            if (set.statusCode() != 200) throw new IllegalStateException("the simulator refused a time to first token of " + millis + " ms: " + set.body());
        }

        /** Score calls the scorers answered from their result cache since they started, without the server. */
        double scorerCacheHits() {
            return processes.stream().filter(p -> p.module().equals("scorer-service")).map(Bench::metricsOf)
                    .mapToDouble(metrics -> metrics.lines()
                            .filter(l -> l.startsWith("dln_scorer_cache_total{") && l.contains("result=\"hit\""))
                            .mapToDouble(Bench::sampleValue).sum())
                    .sum();
        }

        static String metricsOf(ServiceProcess process) {
            try {
                return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(process.baseUrl() + "/q/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
            } catch (Exception e) {
                return "";
            }
        }

        private static double sum(String metrics, String name) {
            return metrics.lines().filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                    .mapToDouble(Bench::sampleValue).sum();
        }

        /**
         * The value of one Prometheus sample line: the token after the name and labels, not the line's last one, which
         * with tracing on is an exemplar's timestamp (" # {trace_id=...} value timestamp").
         */
        static double sampleValue(String line) {
            int labelsEnd = line.indexOf('}');
            String rest = line.substring(labelsEnd < 0 ? line.indexOf(' ') : labelsEnd + 1).strip();
            int end = rest.indexOf(' ');
            return Double.parseDouble(end < 0 ? rest : rest.substring(0, end));
        }

        /** Heap in use of {@code process}, in MB, from its own metrics; -1 when unreadable. */
        static double heapMb(ServiceProcess process) {
            String metrics = metricsOf(process);
            return metrics.isEmpty() ? -1 : heapBytes(metrics, "jvm_memory_used_bytes") / 1e6;
        }

        static String perCall(Map<String, Duration> used, int calls) {
            StringBuilder line = new StringBuilder();
            long total = 0;
            for (var entry : used.entrySet()) {
                total += entry.getValue().toNanos();
                line.append(String.format("%s %.2f ms, ", entry.getKey(), entry.getValue().toNanos() / 1e6 / calls));
            }
            return line.append(String.format("total %.2f ms", total / 1e6 / calls)).toString();
        }

        private static Duration cpuOf(long pid) {
            return ProcessHandle.of(pid).flatMap(h -> h.info().totalCpuDuration()).orElse(Duration.ZERO);
        }

        /** Heap in use and heap limit of each service process, from its own metrics, right after the measured run. */
        void printHeap() {
            HttpClient http = HttpClient.newHttpClient();
            StringBuilder line = new StringBuilder("  heap in use after the run (limit): ");
            for (ServiceProcess process : processes) {
                try {
                    String metrics = http.send(HttpRequest.newBuilder(URI.create(process.baseUrl() + "/q/metrics")).build(),
                            HttpResponse.BodyHandlers.ofString()).body();
                    line.append(String.format("%s %.0f MB (%.0f MB); ", process.module(), heapBytes(metrics, "jvm_memory_used_bytes") / 1e6,
                            heapBytes(metrics, "jvm_memory_max_bytes") / 1e6));
                } catch (Exception e) {
                    line.append(process.module()).append(" unreadable (").append(e.getMessage()).append("); ");
                }
            }
            System.out.println(line);
        }

        static double heapBytes(String metrics, String name) {
            return metrics.lines().filter(l -> l.startsWith(name + "{") && l.contains("area=\"heap\""))
                    .mapToDouble(Bench::sampleValue).filter(v -> v > 0).sum();
        }

        private KafkaConsumer<String, String> endReader(String topic) {
            KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap, "enable.auto.commit", false),
                    new StringDeserializer(), new StringDeserializer());
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            return consumer;
        }

        @Override
        public void close() {
            processes.forEach(ServiceProcess::stop);
            simulator.close();
        }
    }

    /** Samples each service's heap in use while it runs, and keeps the most seen. */
    static final class HeapWatch implements AutoCloseable {
        static final int INTERVAL_MS = 250;
        private final Map<String, Double> most = new java.util.concurrent.ConcurrentHashMap<>();
        private final Thread sampler;
        private volatile boolean running = true;

        HeapWatch(Bench bench) {
            sampler = Thread.ofPlatform().daemon().start(() -> {
                while (running) {
                    for (ServiceProcess process : bench.processes) most.merge(process.module(), Bench.heapMb(process), Math::max);
                    Runs.sleep(INTERVAL_MS);
                }
            });
        }

        Map<String, Double> most() {
            Map<String, Double> rounded = new java.util.TreeMap<>();
            most.forEach((module, mb) -> rounded.put(module, (double) Math.round(mb)));
            return rounded;
        }

        @Override
        public void close() {
            running = false;
            try {
                sampler.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The lag of a consumer group on a topic (end offsets less committed offsets, summed over partitions), sampled as
     * KEDA's Kafka scaler computes it.
     */
    static final class LagWatch implements AutoCloseable {
        static final int INTERVAL_MS = 200;
        record Figures(long max, long median, List<Long> samples) {
            double shareAbove(long threshold) {
                return samples.isEmpty() ? 0 : samples.stream().filter(s -> s > threshold).count() / (double) samples.size();
            }
        }

        private final org.apache.kafka.clients.admin.Admin admin;
        private final List<Long> samples = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final Thread sampler;
        private volatile boolean running = true;

        LagWatch(String bootstrap, String group, String topic) {
            admin = org.apache.kafka.clients.admin.Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrap));
            sampler = Thread.ofPlatform().daemon().start(() -> {
                while (running) {
                    try {
                        samples.add(lag(group, topic));
                    } catch (Exception e) {
                        // the group may not have committed yet
                    }
                    Runs.sleep(INTERVAL_MS);
                }
            });
        }

        private long lag(String group, String topic) throws Exception {
            var committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = new java.util.HashMap<>();
            committed.keySet().stream().filter(tp -> tp.topic().equals(topic))
                    .forEach(tp -> latest.put(tp, org.apache.kafka.clients.admin.OffsetSpec.latest()));
            var ends = admin.listOffsets(latest).all().get();
            long lag = 0;
            for (var entry : ends.entrySet()) {
                var offset = committed.get(entry.getKey());
                lag += entry.getValue().offset() - (offset == null ? 0 : offset.offset());
            }
            return lag;
        }

        Figures figures() {
            List<Long> sorted = samples.stream().sorted().toList();
            if (sorted.isEmpty()) return new Figures(0, 0, List.of());
            return new Figures(sorted.getLast(), sorted.get(sorted.size() / 2), List.copyOf(samples));
        }

        @Override
        public void close() {
            running = false;
            try {
                sampler.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            admin.close();
        }
    }
}
