package io.dln.pipeline;

import io.dln.core.data.Dataset;
import io.dln.core.data.Example;
import io.dln.core.lm.MeteredLanguageModel;
import io.dln.core.lm.OutputClasses;
import io.dln.core.loss.ExactMatchLoss;
import io.dln.core.model.Backends;
import io.dln.core.model.DeepLanguageNetwork;
import io.dln.core.model.DlnSettings;
import io.dln.core.model.GuidanceAction;
import io.dln.core.model.NetworkPrompts;
import io.dln.core.template.TemplateLibrary;
import io.dln.core.train.Trainer;
import io.dln.core.train.TrainingListener;
import io.dln.core.train.TrainingState;
import io.dln.llm.BackendConfig;
import io.dln.llm.OpenAiCompatibleModel;
import io.dln.tasks.TaskFamily;
import io.dln.tasks.TaskWorld;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A training run the tests start through the database, and the same run done in this process with
 * dln-core against the same simulator: the distributed run must end with exactly these prompts.
 */
record Scenario(String name, Dataset dataset, DlnSettings settings, long seed) {

    static Scenario generated(String family, int train, int dev, int test, DlnSettings settings, long seed) {
        TaskFamily task = TaskWorld.standard().byName(family).orElseThrow();
        List<Example> all = task.generate(seed, train + dev + test).stream().map(e -> new Example(e.input(), e.target())).toList();
        Dataset dataset = new Dataset(family, task.initialInstruction(), new OutputClasses(task.outputClasses()),
                all.subList(0, train), all.subList(train, train + dev), all.subList(train + dev, all.size()));
        return new Scenario(family + "-dln" + settings.layers(), dataset, settings, seed);
    }

    UUID start(String backend) {
        return start(backend, null);
    }

    UUID start(String backend, Long tokenBudget) {
        return start(backend, tokenBudget, Pipeline.TENANT);
    }

    UUID start(String backend, Long tokenBudget, String tenant) {
        return start(backend, tokenBudget, tenant, false);
    }

    /** A guided run pauses after every iteration. */
    UUID startGuided(String backend) {
        return start(backend, null, Pipeline.TENANT, true);
    }

    private UUID start(String backend, Long tokenBudget, String tenant, boolean guided) {
        UUID datasetId = Db.insertDataset(tenant, name, dataset.instruction(), dataset.outputClasses().protos(),
                dataset.train(), dataset.dev(), dataset.test());
        return Db.insertRun(tenant, datasetId, name, settings, backend, seed, tokenBudget, guided);
    }

    /** The prompts after each iteration of the in-process run, and its best prompts last. */
    List<NetworkPrompts> reference(String simulatorBaseUrl) {
        return reference(simulatorBaseUrl, Map.of());
    }

    /** The same, with {@code guidance} applied at the start of the iterations it names. */
    List<NetworkPrompts> reference(String simulatorBaseUrl, Map<Integer, List<GuidanceAction>> guidance) {
        return reference(simulatorBaseUrl, guidance, 16);
    }

    /** The same, the client sending at most {@code promptsPerCall} prompts in one HTTP call (1: a request per prompt). */
    List<NetworkPrompts> reference(String simulatorBaseUrl, Map<Integer, List<GuidanceAction>> guidance, int promptsPerCall) {
        try (OpenAiCompatibleModel client = OpenAiCompatibleModel.create(
                BackendConfig.of("reference", simulatorBaseUrl + "/v1", Pipeline.MODEL).withLimits(32, 0, 0)
                        .withTimeout(Duration.ofSeconds(30)).withMaxPromptsPerCall(promptsPerCall))) {
            MeteredLanguageModel model = new MeteredLanguageModel(client);
            DeepLanguageNetwork network = new DeepLanguageNetwork(settings, TemplateLibrary.builtIn(), Backends.single(model),
                    dataset.outputClasses(), new ExactMatchLoss());
            List<NetworkPrompts> prompts = new ArrayList<>();
            Trainer trainer = new Trainer(network, dataset, () -> model.usage().total(), new TrainingListener() {
                @Override
                public void iterationDone(io.dln.core.train.IterationReport report) {
                    prompts.add(report.prompts());
                }
            });
            TrainingState end = trainer.start(seed);
            while (!end.finished()) end = trainer.runIteration(end, guidance.getOrDefault(end.iteration(), List.of()));
            prompts.add(end.bestPrompts());
            return prompts;
        }
    }
}
