package io.dln.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.dln.core.data.Datasets;
import io.dln.core.lm.Capabilities;
import io.dln.core.lm.MeteredLanguageModel;
import io.dln.core.model.Backends;
import io.dln.core.model.CapabilityCheck;
import io.dln.core.model.DeepLanguageNetwork;
import io.dln.core.model.DlnSettings;
import io.dln.core.data.TaskCatalog;
import io.dln.core.model.OutputScoring;
import io.dln.core.model.Presets;
import io.dln.core.model.SettingViolation;
import io.dln.core.model.StepCost;
import io.dln.core.template.TemplateLibrary;
import io.dln.core.train.Checkpoints;
import io.dln.core.train.Trainer;
import io.dln.core.train.TrainingReport;
import io.dln.core.train.TrainingState;
import io.dln.llm.BackendConfig;
import io.dln.llm.OpenAiCompatibleModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "train", sortOptions = false,
        description = "Train a DLN in this process against an OpenAI-compatible server (vLLM, the LLM simulator, ...).")
final class TrainCommand implements Callable<Integer> {

    @Option(names = "--base-url", defaultValue = "${DLN_LLM_URL:-http://localhost:8000/v1}",
            description = "The server's OpenAI API root (default: ${DEFAULT-VALUE}).")
    String baseUrl;

    @Option(names = "--model", defaultValue = "${DLN_LLM_MODEL:-simulator}", description = "Model name the server serves.")
    String model;

    @Option(names = "--api-key-env", description = "Name of the environment variable that holds the server's API key.")
    String apiKeyEnv;

    @Option(names = "--task", defaultValue = "generated:sum-parity",
            description = "A task: generated:<name> or a data directory task such as navigate ('dln tasks' lists them).")
    String task;

    @Option(names = "--data", description = "A JSON-lines file of {\"input\", \"target\"} examples, instead of --task.")
    Path dataFile;

    @Option(names = "--data-dir", description = "Directory of the benchmark data sets (default: $DLN_DATASETS_DIR or ../shared/datasets).")
    Path dataDir;

    @Option(names = "--layers", description = "1 (DLN-1, the default) or 2 (DLN-2).")
    Integer layers;

    @Option(names = "--iterations", description = "Training iterations (default 10).") Integer iterations;
    @Option(names = "--batch-size", description = "Examples per batch (default 20).") Integer batchSize;
    @Option(names = "--p-samples", description = "Prompt candidates per update (default 5).") Integer pSamples;
    @Option(names = "--h-samples", description = "Hidden-text samples per example, DLN-2 (default 3).") Integer hSamples;
    @Option(names = "--validate-every", description = "Validate every this many iterations (default 1).") Integer validateEvery;
    @Option(names = "--patience", description = "Validations without improvement before patience acts (default 0: never).") Integer patience;
    @Option(names = "--scoring", description = "LOGPROBS (default) or ACCURACY.") OutputScoring scoring;
    @Option(names = "--settings", description = "A JSON file of DLN settings; flags given here override it.") Path settingsFile;
    @Option(names = "--preset", description = "Start from the hyperparameters of the paper's scripts: paper-dln1 or paper-dln2,"
            + " optionally :bbh, :ordered-prompt or :leopard (default: the task's family); --settings and flags override it.")
    String preset;
    @Option(names = "--max-calls-per-step", defaultValue = "100000",
            description = "Refuse settings whose training step could make more LLM calls than this (default ${DEFAULT-VALUE}).")
    long maxCallsPerStep;
    @Option(names = "--seed", defaultValue = "42") long seed;
    @Option(names = "--train-size", defaultValue = "100") int trainSize;
    @Option(names = "--dev-size", defaultValue = "100") int devSize;
    @Option(names = "--test-size", defaultValue = "200") int testSize;
    @Option(names = "--concurrency", defaultValue = "32", description = "Concurrent HTTP calls to the server.") int concurrency;
    @Option(names = "--checkpoint", description = "File to write the training state to after each iteration, and to resume from when it exists.")
    Path checkpoint;
    @Option(names = "--json", description = "Print the final report as JSON.") boolean json;

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        DlnSettings settings = settings();
        Path datasets = dataDir != null ? dataDir : Datasets.configuredDir().orElse(Path.of("../shared/datasets"));
        TaskSource source = TaskSource.resolve(task, dataFile, datasets, seed, trainSize, devSize, testSize);
        refuseWhatCannotRun(settings, source);

        BackendConfig config = BackendConfig.of("cli", baseUrl, model)
                .withLimits(concurrency, 0, 0).withTimeout(Duration.ofSeconds(120));
        if (apiKeyEnv != null) config = config.withApiKeyEnv(apiKeyEnv);
        try (OpenAiCompatibleModel client = OpenAiCompatibleModel.create(config)) {
            Capabilities capabilities = client.probe();
            if (source.dataset().hasOutputClasses()) client.capabilityNotes().forEach(note -> System.err.println("dln: " + note));
            List<String> problems = CapabilityCheck.problems(settings, source.dataset().hasOutputClasses(),
                    capabilities, capabilities, capabilities);
            if (!problems.isEmpty()) throw new IllegalArgumentException(String.join("; ", problems));

            MeteredLanguageModel metered = new MeteredLanguageModel(client);
            DeepLanguageNetwork network = new DeepLanguageNetwork(settings, TemplateLibrary.builtIn(), Backends.single(metered),
                    source.dataset().outputClasses(), source.loss());
            ProgressBar progress = new ProgressBar(System.err, settings.iterations(), System.console() != null);
            Trainer trainer = new Trainer(network, source.dataset(), () -> metered.usage().total(), progress);
            TrainingState state = checkpoint != null && Files.exists(checkpoint)
                    ? Checkpoints.fromJson(Files.readString(checkpoint)) : trainer.start(seed);
            state = trainer.train(state, this::saveCheckpoint);
            TrainingReport report = trainer.finish(state, seed);
            progress.finish();
            print(source, settings, report, progress.initialDev(), Duration.ofNanos(System.nanoTime() - started));
        }
        return ExitCodes.OK;
    }

    private DlnSettings settings() throws IOException {
        ObjectMapper json = new ObjectMapper();
        // the command's own defaults (10 iterations, validation after each) or a preset, then the file, then flags
        DlnSettings base = preset != null ? Presets.named(presetWithFamily())
                : DlnSettings.defaults().toBuilder().iterations(10).validateEvery(1).build();
        if (settingsFile != null) {
            // the file's fields over the preset's (or the defaults)
            com.fasterxml.jackson.databind.node.ObjectNode merged = json.valueToTree(base);
            merged.setAll((com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(settingsFile.toFile()));
            base = json.treeToValue(merged, DlnSettings.class);
        }
        DlnSettings.Builder b = base.toBuilder();
        if (layers != null) b.layers(layers);
        if (iterations != null) b.iterations(iterations);
        if (batchSize != null) b.batchSize(batchSize);
        if (pSamples != null) b.pSamples(pSamples);
        if (hSamples != null) b.hSamples(hSamples);
        if (validateEvery != null) b.validateEvery(validateEvery);
        if (patience != null) b.patience(patience);
        if (scoring != null) b.outputScoring(scoring);
        return b.build();
    }

    /** The preset as given, with the task's family added when the task is one of the paper's data sets and none is named. */
    private String presetWithFamily() {
        if (preset.contains(":") || task == null || task.startsWith(TaskSource.GENERATED) || dataFile != null) return preset;
        try {
            return preset + ":" + Presets.familyOf(TaskCatalog.builtIn().get(task).format().name());
        } catch (RuntimeException unknownTask) {
            return preset;
        }
    }

    /** Settings out of range, or a step too large for this process, end the command before any call. */
    private void refuseWhatCannotRun(DlnSettings settings, TaskSource source) {
        StepCost.Ceilings ceilings = StepCost.Ceilings.ofThisHeap("--max-calls-per-step, and half this JVM's heap: raise -Xmx");
        ceilings = new StepCost.Ceilings(maxCallsPerStep, ceilings.maxStepMemoryBytes(), ceilings.whereToRaise());
        List<SettingViolation> refusals = StepCost.refusals(settings, StepCost.SplitSizes.of(source.dataset()), ceilings);
        if (!refusals.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", refusals.stream().map(SettingViolation::message).distinct().toList()));
        }
    }

    private void saveCheckpoint(TrainingState state) {
        if (checkpoint == null) return;
        try {
            Path tmp = checkpoint.resolveSibling(checkpoint.getFileName() + ".tmp");
            Files.writeString(tmp, Checkpoints.toJson(state));
            Files.move(tmp, checkpoint, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the checkpoint " + checkpoint + ": " + e.getMessage(), e);
        }
    }

    private void print(TaskSource source, DlnSettings settings, TrainingReport report, Double initialDev, Duration wall) throws IOException {
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("task", source.dataset().name());
            out.put("layers", settings.layers());
            out.put("initialDevAccuracy", initialDev);
            out.put("bestDevAccuracy", report.bestDevAccuracy());
            out.put("testAccuracy", report.testAccuracy());
            out.put("p1", report.bestPrompts().p1());
            out.put("p2", report.bestPrompts().p2());
            out.put("iterations", report.iterations());
            out.put("stopReason", report.stopReason());
            out.put("tokensUsed", report.tokensUsed());
            out.put("wallSeconds", wall.toMillis() / 1000.0);
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out));
            return;
        }
        System.out.printf("Task:                 %s (%d train / %d dev / %d test), DLN-%d%n", source.dataset().name(),
                source.dataset().train().size(), source.dataset().dev().size(), source.dataset().test().size(), settings.layers());
        if (initialDev != null) System.out.printf("Initial dev accuracy: %.1f%%%n", 100 * initialDev);
        System.out.printf("Best dev accuracy:    %.1f%%%n", 100 * report.bestDevAccuracy());
        System.out.printf("Test accuracy:        %.1f%%%n", 100 * report.testAccuracy());
        if (settings.layers() == 2) System.out.printf("Best hidden prompt:   %s%n", report.bestPrompts().p1());
        System.out.printf("Best output prompt:   %s%n", report.bestPrompts().p2());
        System.out.printf("Stopped:              %s%n", report.stopReason());
        System.out.printf("Tokens used:          %,d%n", report.tokensUsed());
        System.out.printf("Wall time:            %.1f s%n", wall.toMillis() / 1000.0);
    }
}
