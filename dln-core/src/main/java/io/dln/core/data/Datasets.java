package io.dln.core.data;

import io.dln.core.lm.OutputClasses;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Loads tasks into {@link Dataset}s. Splits:
 * <ul>
 * <li>BBH and a single JSON lines file (one pool of examples): shuffled by seed, then the first
 *     fifth is train, the next fifth dev and the rest test; 250 examples give 50/50/150,
 *     causal_judgement's 187 give 37/37/113, snarks' 178 give 35/35/108.</li>
 * <li>Leopard: 1000 train, 250 dev and 250 test examples sampled by seed from the evaluation file
 *     (the DLN paper's sizes); a file with fewer than 1500 examples is split like BBH.</li>
 * <li>Ordered prompt and JSON lines train/dev/test files: the files' own splits, in file order.</li>
 * </ul>
 * A cap in {@link LoadOptions} then keeps a seeded subsample of a longer split. The shuffle is
 * {@link SeededShuffle}, stable across JVMs. Bad data raises {@link DataFormatException}.
 */
public final class Datasets {

    public static final String DIR_PROPERTY = "dln.datasets.dir";
    public static final String DIR_ENV = "DLN_DATASETS_DIR";

    public static final int LEOPARD_TRAIN = 1000;
    public static final int LEOPARD_DEV = 250;
    public static final int LEOPARD_TEST = 250;

    private static final String OPTIONS_HEADER = "\nOptions:";

    private Datasets() {
    }

    /** The data sets directory from system property {@value #DIR_PROPERTY}, else env {@value #DIR_ENV}. */
    public static Optional<Path> configuredDir() {
        String dir = System.getProperty(DIR_PROPERTY);
        if (dir == null || dir.isBlank()) dir = System.getenv(DIR_ENV);
        return dir == null || dir.isBlank() ? Optional.empty() : Optional.of(Path.of(dir).toAbsolutePath().normalize());
    }

    public static Dataset load(Path datasetsDir, String task, long seed) {
        return load(datasetsDir, task, LoadOptions.seed(seed));
    }

    /**
     * A task of the built-in {@link TaskCatalog}, or else a task in the generic format found as
     * {@code <task>.jsonl} or {@code <task>/train.jsonl, dev.jsonl, test.jsonl} under the directory
     * (no instruction, no output classes).
     */
    public static Dataset load(Path datasetsDir, String task, LoadOptions options) {
        TaskCatalog catalog = TaskCatalog.builtIn();
        Optional<TaskSpec> known = catalog.find(task);
        if (known.isPresent()) return load(datasetsDir, known.get(), options);
        if (Files.isRegularFile(datasetsDir.resolve(task + ".jsonl"))) {
            return load(datasetsDir, TaskSpec.jsonLines(task, task + ".jsonl", null, null), options);
        }
        if (Files.isRegularFile(datasetsDir.resolve(task).resolve("train.jsonl"))) {
            return load(datasetsDir, TaskSpec.jsonLines(task, task, null, null), options);
        }
        throw new IllegalArgumentException("unknown task '" + task + "': not in the catalogue (" + String.join(", ", catalog.names())
                + ") and no " + task + ".jsonl or " + task + "/train.jsonl under " + datasetsDir);
    }

    public static Dataset load(Path datasetsDir, TaskSpec task, LoadOptions options) {
        Path path = resolve(datasetsDir, task);
        return switch (task.format()) {
            case BBH -> bbh(path, task, options);
            case ORDERED_PROMPT -> orderedPrompt(path, task, options);
            case LEOPARD -> leopard(path, task, options);
            case JSON_LINES -> Files.isDirectory(path)
                    ? jsonLines(path.resolve("train.jsonl"), path.resolve("dev.jsonl"), path.resolve("test.jsonl"), task, options)
                    : jsonLines(path, task, options);
        };
    }

    /**
     * Every example of a task in file order, before any split: the whole pool of a BBH, Leopard
     * or single JSON lines file; train, dev then test for the formats stored as split files.
     */
    public static List<Example> examples(Path datasetsDir, TaskSpec task, LoadOptions options) {
        Path path = resolve(datasetsDir, task);
        if (task.format() == TaskFormat.BBH) return examples(JsonSource.array(path, "examples"), "input", "target", task, options);
        if (task.format() == TaskFormat.LEOPARD) return examples(JsonSource.array(path, null), "sentence1", "label", task, options);
        if (task.format() == TaskFormat.JSON_LINES && !Files.isDirectory(path)) {
            return examples(JsonSource.lines(path), "input", "target", task, options);
        }
        Dataset all = load(datasetsDir, task, options.withCaps(LoadOptions.NO_CAP, LoadOptions.NO_CAP, LoadOptions.NO_CAP));
        List<Example> examples = new ArrayList<>(all.train());
        examples.addAll(all.dev());
        examples.addAll(all.test());
        return examples;
    }

    /** A BBH file {"examples": [{"input", "target"}]}, split by seed. */
    public static Dataset bbh(Path file, TaskSpec task, LoadOptions options) {
        return byFifths(file, examples(JsonSource.array(file, "examples"), "input", "target", task, options), task, options);
    }

    /** A folder of train.jsonl, dev_subsample.jsonl and test.jsonl with lines {"sentence", "label"}. */
    public static Dataset orderedPrompt(Path folder, TaskSpec task, LoadOptions options) {
        Map<Split, Path> files = new EnumMap<>(Split.class);
        files.put(Split.TRAIN, folder.resolve("train.jsonl"));
        files.put(Split.DEV, folder.resolve("dev_subsample.jsonl"));
        files.put(Split.TEST, folder.resolve("test.jsonl"));
        return fromFiles(files, "sentence", "label", task, options);
    }

    /** A Leopard evaluation file [{"sentence1", "label"}], sampled into splits by seed. */
    public static Dataset leopard(Path file, TaskSpec task, LoadOptions options) {
        List<Example> pool = examples(JsonSource.array(file, null), "sentence1", "label", task, options);
        if (pool.size() < LEOPARD_TRAIN + LEOPARD_DEV + LEOPARD_TEST) return byFifths(file, pool, task, options);
        return split(file, SeededShuffle.shuffle(pool, options.seed()), task, options, LEOPARD_TRAIN, LEOPARD_DEV, LEOPARD_TEST);
    }

    /** One JSON lines file of {"input", "target"}, split by seed like BBH. */
    public static Dataset jsonLines(Path file, TaskSpec task, LoadOptions options) {
        return byFifths(file, examples(JsonSource.lines(file), "input", "target", task, options), task, options);
    }

    /** Three JSON lines files of {"input", "target"}, one per split. */
    public static Dataset jsonLines(Path train, Path dev, Path test, TaskSpec task, LoadOptions options) {
        Map<Split, Path> files = new EnumMap<>(Split.class);
        files.put(Split.TRAIN, train);
        files.put(Split.DEV, dev);
        files.put(Split.TEST, test);
        return fromFiles(files, "input", "target", task, options);
    }

    /** One JSON lines file of a task the catalogue does not know; instruction and classes may be null. */
    public static Dataset jsonLines(Path file, String name, String instruction, OutputClasses classes, long seed) {
        return jsonLines(file, TaskSpec.jsonLines(name, file.toString(), instruction, classes), LoadOptions.seed(seed));
    }

    /**
     * A user's own data: one file of examples split by seed (the first {@code trainSize} shuffled examples train, the
     * next {@code devSize} dev, up to {@code testSize} of the rest test; by default a fifth, a fifth and the rest), or
     * a folder with a train, a dev and a test file, each capped at its size by a seeded subsample (by default all of
     * it). A file whose rows all name their split (a "split" field or column: train, dev or test) keeps those splits,
     * each capped like a folder's files. A file is JSON lines of {"input", "target"} ({@code .jsonl}) or CSV with input and target columns
     * ({@code .csv}). Targets must match the task's output classes, when it has them.
     */
    public static Dataset userData(Path path, TaskSpec task, long seed, Integer trainSize, Integer devSize, Integer testSize) {
        for (Integer size : new Integer[]{trainSize, devSize, testSize}) {
            if (size != null && size < 1) throw new IllegalArgumentException("split sizes must be at least 1, not " + size);
        }
        LoadOptions options = LoadOptions.seed(seed);
        if (Files.isDirectory(path)) {
            Map<Split, List<Example>> splits = new EnumMap<>(Split.class);
            for (Split split : Split.values()) {
                Path file = splitFile(path, splitName(split));
                List<Example> examples = examples(userRecords(file), "input", "target", task, options);
                if (examples.isEmpty()) throw DataFormatException.ofFile(file, "the " + splitName(split) + " split is empty");
                splits.put(split, capped(examples, split, seed, trainSize, devSize, testSize));
            }
            return dataset(task, splits);
        }
        if (!Files.isRegularFile(path)) throw new IllegalArgumentException("no file or folder at " + path);
        List<JsonSource.Record> records = userRecords(path);
        if (!records.isEmpty() && records.getFirst().node().has("split")) return bySplitField(path, records, task, options, trainSize, devSize, testSize);
        List<Example> pool = examples(records, "input", "target", task, options);
        int train = trainSize != null ? trainSize : pool.size() / 5;
        int dev = devSize != null ? devSize : pool.size() / 5;
        int rest = pool.size() - train - dev;
        if (train < 1 || dev < 1 || rest < 1) {
            throw DataFormatException.ofFile(path, "has " + pool.size() + " examples: too few for " + train + " train, " + dev
                    + " dev and at least 1 test example");
        }
        int test = testSize != null ? Math.min(testSize, rest) : rest;
        return split(path, SeededShuffle.shuffle(pool, seed), task, options, train, dev, test);
    }

    /** A file whose rows name their split (train, dev or test), as 'dln generate-data' writes them; every row must. */
    private static Dataset bySplitField(Path file, List<JsonSource.Record> records, TaskSpec task, LoadOptions options,
                                        Integer trainSize, Integer devSize, Integer testSize) {
        Map<Split, List<JsonSource.Record>> bySplit = new EnumMap<>(Split.class);
        for (Split split : Split.values()) bySplit.put(split, new ArrayList<>());
        for (JsonSource.Record record : records) {
            String name = record.node().has("split") ? record.text("split").strip().toLowerCase(Locale.ROOT) : null;
            if (name == null) throw record.error("split", "missing: the first row gives its split, so every row must");
            Split split = switch (name) {
                case "train" -> Split.TRAIN;
                case "dev" -> Split.DEV;
                case "test" -> Split.TEST;
                default -> throw record.error("split", "must be train, dev or test, was '" + name + "'");
            };
            bySplit.get(split).add(record);
        }
        Map<Split, List<Example>> splits = new EnumMap<>(Split.class);
        for (Split split : Split.values()) {
            List<Example> examples = examples(bySplit.get(split), "input", "target", task, options);
            if (examples.isEmpty()) throw DataFormatException.ofFile(file, "no row is in the " + splitName(split) + " split");
            splits.put(split, capped(examples, split, options.seed(), trainSize, devSize, testSize));
        }
        return dataset(task, splits);
    }

    /** A seeded sample of the split's size when it has more examples; all of them otherwise, or when its size is null. */
    private static List<Example> capped(List<Example> examples, Split split, long seed, Integer trainSize, Integer devSize,
                                        Integer testSize) {
        Integer cap = switch (split) {
            case TRAIN -> trainSize;
            case DEV -> devSize;
            case TEST -> testSize;
        };
        return cap != null && examples.size() > cap ? SeededShuffle.shuffle(examples, seed).subList(0, cap) : examples;
    }

    /**
     * The examples of one JSON lines ({@code .jsonl}) or CSV ({@code .csv}) file of {@code input} and {@code target}, in
     * file order; when {@code split} is given, only the rows whose {@code split} field or column names it.
     */
    public static List<Example> userExamples(Path file, String split) {
        List<JsonSource.Record> records = userRecords(file);
        if (split != null) {
            List<JsonSource.Record> kept = new ArrayList<>();
            for (JsonSource.Record record : records) {
                if (record.text("split").strip().equalsIgnoreCase(split)) kept.add(record);
            }
            records = kept;
        }
        return examples(records, "input", "target", TaskSpec.jsonLines(file.getFileName().toString(), file.toString(), null, null),
                LoadOptions.seed(0));
    }

    /** The split's file of a folder of user data: {@code <split>.jsonl} or {@code <split>.csv}. */
    private static Path splitFile(Path folder, String split) {
        Path jsonl = folder.resolve(split + ".jsonl");
        Path csv = folder.resolve(split + ".csv");
        boolean hasJsonl = Files.isRegularFile(jsonl);
        boolean hasCsv = Files.isRegularFile(csv);
        if (hasJsonl && hasCsv) throw DataFormatException.ofFile(folder, "has both " + split + ".jsonl and " + split + ".csv: keep one");
        if (!hasJsonl && !hasCsv) {
            throw DataFormatException.ofFile(folder, "has no " + split + ".jsonl or " + split + ".csv (a folder of data needs train, dev "
                    + "and test files)");
        }
        return hasJsonl ? jsonl : csv;
    }

    private static List<JsonSource.Record> userRecords(Path file) {
        if (!file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv")) return JsonSource.lines(file);
        List<JsonSource.Record> records = CsvSource.records(file);
        CsvSource.requireColumns(file, records, "input", "target");
        return records;
    }

    private static List<Example> examples(List<JsonSource.Record> records, String inputField, String targetField,
                                          TaskSpec task, LoadOptions options) {
        String optionsSuffix = options.appendOptions() && !task.labelWords().isEmpty()
                ? OPTIONS_HEADER + "\n- " + String.join("\n- ", task.labelWordList())
                : "";
        List<Example> examples = new ArrayList<>(records.size());
        for (JsonSource.Record record : records) {
            String input = record.text(inputField);
            String raw = record.text(targetField);
            String target = raw;
            if (!task.labelWords().isEmpty()) {
                target = task.labelWords().get(raw);
                if (target == null) {
                    throw record.error(targetField, "label '" + raw + "' is not one of " + task.labelWords().keySet());
                }
            }
            if (task.outputClasses() != null && TargetClasses.indexOf(task.outputClasses(), target) < 0) {
                throw record.error(targetField, "target '" + target + "' matches no single output class of "
                        + task.outputClasses().protos());
            }
            examples.add(new Example(input + optionsSuffix, target));
        }
        return examples;
    }

    private static Dataset byFifths(Path file, List<Example> pool, TaskSpec task, LoadOptions options) {
        int fifth = pool.size() / 5;
        return split(file, SeededShuffle.shuffle(pool, options.seed()), task, options, fifth, fifth, pool.size() - 2 * fifth);
    }

    /** Consecutive train, dev and test slices of the shuffled examples, then capped. */
    private static Dataset split(Path file, List<Example> shuffled, TaskSpec task, LoadOptions options,
                                 int trainSize, int devSize, int testSize) {
        Map<Split, List<Example>> splits = new EnumMap<>(Split.class);
        splits.put(Split.TRAIN, shuffled.subList(0, trainSize));
        splits.put(Split.DEV, shuffled.subList(trainSize, trainSize + devSize));
        splits.put(Split.TEST, shuffled.subList(trainSize + devSize, trainSize + devSize + testSize));
        for (Map.Entry<Split, List<Example>> split : splits.entrySet()) {
            if (split.getValue().isEmpty()) {
                throw DataFormatException.ofFile(file, "the " + splitName(split.getKey()) + " split is empty ("
                        + shuffled.size() + " examples are too few to split)");
            }
            split.setValue(split.getValue().subList(0, Math.min(split.getValue().size(), options.cap(split.getKey()))));
        }
        return dataset(task, splits);
    }

    private static Dataset fromFiles(Map<Split, Path> files, String inputField, String targetField, TaskSpec task, LoadOptions options) {
        Map<Split, List<Example>> splits = new EnumMap<>(Split.class);
        for (Map.Entry<Split, Path> file : files.entrySet()) {
            List<Example> examples = examples(JsonSource.lines(file.getValue()), inputField, targetField, task, options);
            if (examples.isEmpty()) {
                throw DataFormatException.ofFile(file.getValue(), "the " + splitName(file.getKey()) + " split is empty");
            }
            int cap = options.cap(file.getKey());
            if (examples.size() > cap) examples = SeededShuffle.shuffle(examples, options.seed()).subList(0, cap);
            splits.put(file.getKey(), examples);
        }
        return dataset(task, splits);
    }

    private static Path resolve(Path datasetsDir, TaskSpec task) {
        if (task.path() == null) throw new IllegalArgumentException("task " + task.name() + " has no path");
        return datasetsDir.resolve(task.path());
    }

    private static String splitName(Split split) {
        return split.name().toLowerCase(Locale.ROOT);
    }

    private static Dataset dataset(TaskSpec task, Map<Split, List<Example>> splits) {
        return new Dataset(task.name(), task.instruction(), task.outputClasses(),
                splits.get(Split.TRAIN), splits.get(Split.DEV), splits.get(Split.TEST));
    }
}
