package io.dln.simulator.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dln.core.data.Dataset;
import io.dln.core.data.Example;
import io.dln.core.lm.Capabilities;
import io.dln.core.lm.ClassDistribution;
import io.dln.core.lm.ClassDistributionRequest;
import io.dln.core.lm.Generation;
import io.dln.core.lm.GenerationRequest;
import io.dln.core.lm.LanguageModel;
import io.dln.core.lm.LogProbability;
import io.dln.core.lm.LogProbabilityRequest;
import io.dln.core.lm.OutputClasses;
import io.dln.core.loss.ExactMatchLoss;
import io.dln.core.model.Backends;
import io.dln.core.model.DeepLanguageNetwork;
import io.dln.core.model.DlnSettings;
import io.dln.core.template.TemplateLibrary;
import io.dln.core.train.Trainer;
import io.dln.core.train.TrainingState;
import io.dln.llm.BackendConfig;
import io.dln.llm.OpenAiCompatibleModel;
import io.dln.tasks.TaskFamily;
import io.dln.tasks.TaskWorld;
import io.dln.testkit.CompilerCpu;
import io.dln.testkit.SimulatorProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The simulator's CPU time per prompt, as the pipeline benchmark pays it: the simulator runs as its own process at zero
 * latency and DLN-2 trainings send it what the trainer sends (multi-prompt completions: generations, echo with logprobs
 * for scoring, top_logprobs for class distributions). The trainings take turns over six data sets (three task families,
 * two data seeds) with a new training seed each, so that, as in a run, the inputs recur while the instructions, samples
 * and analyses change (data sets new every time would fill the simulator's per-input memos as no run does). After a
 * warm-up the process's CPU time (and its JIT compiler threads' part) over a measured window is divided by the prompts
 * sent in it.
 * Prints, writes target/benchmark/simulator-cpu.json, asserts nothing about time.
 * Run: {@code ./mvnw -B verify -Pbenchmark -pl llm-simulator -Dtest=SimulatorCpuBenchmarkTest} (after packaging
 * llm-simulator: the process runs target/quarkus-app); -Dbenchmark.warmup-seconds / -Dbenchmark.measure-seconds change
 * the windows (60 / 60).
 */
@Tag("benchmark")
class SimulatorCpuBenchmarkTest {

    static final DlnSettings SETTINGS = DlnSettings.builder().layers(2).iterations(3).batchSize(10).build();
    static final List<String> FAMILIES = List.of("sum-parity", "navigate", "basket-totals");

    @Test
    void cpuPerPrompt() throws Exception {
        long warmUp = Long.getLong("benchmark.warmup-seconds", 60);
        long measure = Long.getLong("benchmark.measure-seconds", 60);
        try (SimulatorProcess simulator = SimulatorProcess.start(Map.of());
             OpenAiCompatibleModel client = OpenAiCompatibleModel.create(BackendConfig.of("bench",
                     simulator.baseUrl() + "/v1", "dln-simulator").withLimits(16, 0, 0))) {
            PromptCounter model = new PromptCounter(client);
            long pid = simulator.process().pid();
            int run = 0;
            for (long end = System.nanoTime() + warmUp * 1_000_000_000L; System.nanoTime() < end; ) train(model, run++);

            long prompts = model.prompts.get(), calls = requests(simulator);
            Duration cpu = cpu(pid), compiling = CompilerCpu.of(pid);
            long start = System.nanoTime();
            int measuredRuns = 0;
            for (long end = start + measure * 1_000_000_000L; System.nanoTime() < end; measuredRuns++) train(model, run++);
            double seconds = (System.nanoTime() - start) / 1e9;
            prompts = model.prompts.get() - prompts;
            calls = requests(simulator) - calls;
            double cpuMs = cpu(pid).minus(cpu).toNanos() / 1e6;
            double jitMs = CompilerCpu.of(pid).minus(compiling).toNanos() / 1e6;

            System.out.printf("%n[benchmark] simulator CPU per prompt (DLN-2 trainings at zero latency, process %d): %.3f ms"
                            + " (%.3f ms of it JIT compiler threads); %.3f ms per request; %d prompts in %d requests, %d trainings,"
                            + " %.1f s, load average %s%n%n",
                    pid, cpuMs / prompts, jitMs / prompts, cpuMs / calls, prompts, calls, measuredRuns, seconds,
                    LoadDriver.loadAverage());
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("cpuMsPerPrompt", cpuMs / prompts);
            figures.put("jitCpuMsPerPrompt", jitMs / prompts);
            figures.put("cpuMsPerRequest", cpuMs / calls);
            figures.put("prompts", prompts);
            figures.put("requests", calls);
            figures.put("trainings", measuredRuns);
            figures.put("seconds", seconds);
            figures.put("warmUpSeconds", warmUp);
            figures.put("loadAverage", LoadDriver.loadAverage());
            Path out = Path.of("target", "benchmark", "simulator-cpu.json");
            Files.createDirectories(out.getParent());
            Files.writeString(out, new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(figures));
        }
    }

    /** The HTTP requests the simulator has answered, from its simulator_requests_total counters. */
    private static long requests(SimulatorProcess simulator) throws Exception {
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(simulator.baseUrl() + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return Math.round(metrics.lines().filter(l -> l.startsWith("simulator_requests_total{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum());
    }

    private static Duration cpu(long pid) {
        return ProcessHandle.of(pid).flatMap(h -> h.info().totalCpuDuration()).orElseThrow();
    }

    private static void train(LanguageModel model, int run) {
        TaskFamily task = TaskWorld.standard().byName(FAMILIES.get(run % FAMILIES.size())).orElseThrow();
        List<Example> all = task.generate(run % (2 * FAMILIES.size()), 60).stream().map(e -> new Example(e.input(), e.target())).toList();
        Dataset dataset = new Dataset(task.name(), task.initialInstruction(), new OutputClasses(task.outputClasses()),
                all.subList(0, 30), all.subList(30, 45), all.subList(45, 60));
        DeepLanguageNetwork network = new DeepLanguageNetwork(SETTINGS, TemplateLibrary.builtIn(), Backends.single(model),
                dataset.outputClasses(), new ExactMatchLoss());
        Trainer trainer = new Trainer(network, dataset, () -> 0L, new io.dln.core.train.TrainingListener() {
        });
        TrainingState state = trainer.start(run);
        while (!state.finished()) state = trainer.runIteration(state);
    }

    /** Counts the prompts the trainer sends (one per request of a batch). */
    static final class PromptCounter implements LanguageModel {
        private final LanguageModel delegate;
        final AtomicLong prompts = new AtomicLong();

        PromptCounter(LanguageModel delegate) {
            this.delegate = delegate;
        }

        private void count(List<?> requests) {
            prompts.addAndGet(requests.size());
        }

        @Override
        public CompletableFuture<List<Generation>> generate(List<GenerationRequest> requests) {
            count(requests);
            return delegate.generate(requests);
        }

        @Override
        public CompletableFuture<List<LogProbability>> logProbability(List<LogProbabilityRequest> requests) {
            count(requests);
            return delegate.logProbability(requests);
        }

        @Override
        public CompletableFuture<List<ClassDistribution>> classDistribution(List<ClassDistributionRequest> requests) {
            count(requests);
            return delegate.classDistribution(requests);
        }

        @Override
        public Capabilities capabilities() {
            return delegate.capabilities();
        }
    }
}
