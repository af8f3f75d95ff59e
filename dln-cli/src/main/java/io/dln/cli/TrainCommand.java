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
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "train", sortOptions = false,
        description = "Train a DLN in this process against an OpenAI-compatible server (vLLM, the LLM simulator, ...), on a "
                + "generated task, a benchmark task, or your own data (--data).")
final class TrainCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(names = "--base-url", defaultValue = "${DLN_LLM_URL:-http://localhost:8000/v1}",
            description = "The server's OpenAI API root (default: $DLN_LLM_URL, else ${DEFAULT-VALUE}).")
    String baseUrl;

    @Option(names = "--model", defaultValue = "${DLN_LLM_MODEL:-simulator}",
            description = "Model name the server serves (default: $DLN_LLM_MODEL, else ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--api-key-env", paramLabel = "VARIABLE",
            description = "Name of the environment variable that holds the server's API key (default: none, no key).")
    String apiKeyEnv;

    @Option(names = "--task", defaultValue = "generated:sum-parity", description = "A task: generated:<name> or a benchmark task "
            + "of the data directory such as navigate ('dln tasks' lists them); not used with --data (default: ${DEFAULT-VALUE}).")
    String task;

    @Mixin DataOptions data;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Directory of the benchmark data sets (default: $DLN_DATASETS_DIR, else ../shared/datasets).")
    Path dataDir;

    @Option(names = "--layers", defaultValue = "1", paramLabel = "1|2", description = "1 (DLN-1) or 2 (DLN-2) (default: ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--iterations", defaultValue = "10", paramLabel = "N",
            description = "Training iterations, each one prompt update on a batch (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--batch-size", defaultValue = "20", paramLabel = "N",
            description = "Training examples per iteration (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--p-samples", defaultValue = "5", paramLabel = "N",
            description = "Prompt candidates per update, the current prompt included (default: ${DEFAULT-VALUE}).")
    int pSamples;

    @Option(names = "--h-samples", defaultValue = "3", paramLabel = "N",
            description = "Hidden-text samples per example, DLN-2 only (default: ${DEFAULT-VALUE}).")
    int hSamples;

    @Option(names = "--validate-every", defaultValue = "1", paramLabel = "N",
            description = "Validate the prompts on the dev split every N iterations, and after the last (default: ${DEFAULT-VALUE}).")
    int validateEvery;

    @Option(names = "--patience", defaultValue = "0", paramLabel = "N",
            description = "Stop after N validations without improvement; 0 never stops early (default: ${DEFAULT-VALUE}).")
    int patience;

    @Option(names = "--scoring", defaultValue = "LOGPROBS", paramLabel = "LOGPROBS|ACCURACY",
            description = "Rank output prompts by log-likelihood, or by accuracy for servers without log-probabilities "
                    + "(default: ${DEFAULT-VALUE}).")
    OutputScoring scoring;

    @Option(names = "--settings", paramLabel = "FILE", description = "A JSON file of DLN settings (any field of the settings, "
            + "e.g. {\"pSamples\": 2, \"memorySize\": 2}); its values hold unless the same option is given on this command line "
            + "(default: none).")
    Path settingsFile;

    @Option(names = "--preset", paramLabel = "NAME", description = "Start from the hyperparameters of the paper's scripts: "
            + "paper-dln1 or paper-dln2, optionally :bbh, :ordered-prompt or :leopard (default: none; with a preset and no "
            + "family, the task's family); --settings and the options given here override it.")
    String preset;

    @Option(names = "--max-calls-per-step", defaultValue = "100000", paramLabel = "N",
            description = "Refuse settings whose training step could make more LLM calls than this (default: ${DEFAULT-VALUE}).")
    long maxCallsPerStep;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "N",
            description = "Seed of the data split, the batches and the proposals (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--concurrency", defaultValue = "32", paramLabel = "N",
            description = "Concurrent HTTP calls to the server (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--checkpoint", paramLabel = "FILE", description = "File to write the training state to after each "
            + "iteration, and to resume from when it exists (default: none).")
    Path checkpoint;

    @Option(names = "--json", description = "Print the final report as JSON.") boolean json;

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        DlnSettings settings = settings();
        Path datasets = dataDir != null ? dataDir : Datasets.configuredDir().orElse(Path.of("../shared/datasets"));
        TaskSource source = TaskSource.resolve(spec.commandLine(), task, data, datasets, seed);
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

    /**
     * The preset (when named), the settings file over it, then each option given on the command line over both; options
     * not given fill only what the preset and the file leave out. Checked by {@link DlnSettings#problems()} before anything
     * is sent.
     */
    private DlnSettings settings() {
        SettingsFile file = SettingsFile.read(spec.commandLine(), settingsFile);
        if (preset != null) file = file.over(Presets.named(presetWithFamily()));
        file.option("--layers", "layers", layers);
        file.option("--iterations", "iterations", iterations);
        file.option("--batch-size", "batchSize", batchSize);
        file.option("--p-samples", "pSamples", pSamples);
        file.option("--h-samples", "hSamples", hSamples);
        file.option("--validate-every", "validateEvery", validateEvery);
        file.option("--patience", "patience", patience);
        file.option("--scoring", "outputScoring", scoring.name());
        file.given("initP2", data.instruction);
        file.given("initP1", data.hiddenInstruction);
        return file.settings();
    }

    /** The preset as given, with the task's family added when the task is one of the paper's data sets and none is named. */
    private String presetWithFamily() {
        if (preset.contains(":") || task == null || task.startsWith(TaskSource.GENERATED) || data.data != null) return preset;
        try {
            return preset + ":" + Presets.familyOf(TaskCatalog.builtIn().get(task).format().name());
        } catch (RuntimeException unknownTask) {
            return preset;
        }
    }

    /** A step too large for this process ends the command before any call. */
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
            Map<String, Integer> examples = new LinkedHashMap<>();
            examples.put("train", source.dataset().train().size());
            examples.put("dev", source.dataset().dev().size());
            examples.put("test", source.dataset().test().size());
            out.put("examples", examples);
            out.put("outputClasses", source.dataset().hasOutputClasses() ? source.dataset().outputClasses().protos() : null);
            out.put("settings", settings);
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
