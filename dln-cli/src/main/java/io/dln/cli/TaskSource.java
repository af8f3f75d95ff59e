package io.dln.cli;

import io.dln.core.data.Dataset;
import io.dln.core.data.Datasets;
import io.dln.core.data.Example;
import io.dln.core.data.LoadOptions;
import io.dln.core.data.TaskCatalog;
import io.dln.core.data.TaskSpec;
import io.dln.core.lm.OutputClasses;
import io.dln.core.loss.ExactMatchLoss;
import io.dln.core.loss.Loss;
import io.dln.tasks.TaskFamily;
import io.dln.tasks.TaskWorld;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Where a training run's examples come from: a generated task, a task of the data directory, or the user's own data. */
record TaskSource(Dataset dataset, Loss loss) {

    static final String GENERATED = "generated:";
    static final int DEFAULT_TRAIN = 100;
    static final int DEFAULT_DEV = 100;
    static final int DEFAULT_TEST = 200;

    static TaskSource resolve(CommandLine commandLine, String task, DataOptions data, Path dataDir, long seed) {
        if (data.data != null) return new TaskSource(data.load(commandLine, seed), new ExactMatchLoss());
        if (data.classes != null && !data.classes.isEmpty()) {
            throw new CommandLine.ParameterException(commandLine, "--classes names the classes of --data; a --task has its own");
        }
        int trainSize = or(data.trainSize, DEFAULT_TRAIN);
        int devSize = or(data.devSize, DEFAULT_DEV);
        int testSize = or(data.testSize, DEFAULT_TEST);
        if (task.startsWith(GENERATED)) {
            String name = task.substring(GENERATED.length());
            TaskFamily family = TaskWorld.standard().byName(name).orElseThrow(() -> new IllegalArgumentException(
                    "no generated task '" + name + "'; 'dln tasks' lists them"));
            List<Example> examples = family.generate(seed, trainSize + devSize + testSize).stream()
                    .map(e -> new Example(e.input(), e.target())).toList();
            Dataset dataset = new Dataset(family.name(), family.initialInstruction(), new OutputClasses(family.outputClasses()),
                    examples.subList(0, trainSize), examples.subList(trainSize, trainSize + devSize),
                    examples.subList(trainSize + devSize, examples.size()));
            return new TaskSource(dataset, new ExactMatchLoss());
        }
        TaskSpec spec = TaskCatalog.builtIn().get(task);
        if (dataDir == null || !Files.isDirectory(dataDir)) {
            throw new IllegalArgumentException("task '" + task + "' is read from the data directory, and there is none at "
                    + dataDir + "; pass --data-dir (or set DLN_DATASETS_DIR) or choose a generated task ('dln tasks')");
        }
        Dataset dataset = Datasets.load(dataDir, spec, LoadOptions.seed(seed));
        return new TaskSource(cap(dataset, trainSize, devSize, testSize), spec.loss());
    }

    private static int or(Integer value, int fallback) {
        return value != null ? value : fallback;
    }

    private static Dataset cap(Dataset d, int train, int dev, int test) {
        return new Dataset(d.name(), d.instruction(), d.outputClasses(), head(d.train(), train), head(d.dev(), dev), head(d.test(), test));
    }

    private static List<Example> head(List<Example> examples, int size) {
        return examples.subList(0, Math.min(size, examples.size()));
    }
}
