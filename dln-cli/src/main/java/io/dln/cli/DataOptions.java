package io.dln.cli;

import io.dln.core.data.Dataset;
import io.dln.core.data.Datasets;
import io.dln.core.data.TaskSpec;
import io.dln.core.lm.OutputClasses;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The user's own examples and what they say about the task: options shared by 'dln train' and 'dln runs start'. */
final class DataOptions {

    @Option(names = "--data", paramLabel = "FILE|FOLDER", description = "Your labelled examples: a file of JSON lines "
            + "{\"input\", \"target\"} (.jsonl) or a CSV with input and target columns (.csv), split by --seed and the sizes "
            + "below (by the rows' own split field or column when every row has one); or a folder with train, dev and test "
            + "files (.jsonl or .csv). Default: none.")
    Path data;

    @Option(names = "--classes", split = ",", paramLabel = "CLASS", description = "The output classes of --data, "
            + "each its verbalizers joined by '|', e.g. --classes 'yes|Yes,no|No': answers are scored over the classes and "
            + "targets normalised to them (every target must match one). Default: none, free-text answers.")
    List<String> classes;

    @Option(names = "--instruction", paramLabel = "TEXT", description = "The output layer's initial prompt (setting initP2). "
            + "Default: the task's own instruction (none for --data).")
    String instruction;

    @Option(names = "--hidden-instruction", paramLabel = "TEXT", description = "The hidden layer's initial prompt of DLN-2 "
            + "(setting initP1). Default: empty.")
    String hiddenInstruction;

    @Option(names = "--train-size", paramLabel = "N", description = "Training examples: from a --data file, the first N of its "
            + "seeded shuffle (default: a fifth of it); from a folder, a seeded sample of its train file (default: all); "
            + "of a --task, N (default: 100).")
    Integer trainSize;

    @Option(names = "--dev-size", paramLabel = "N", description = "Dev examples, chosen like --train-size (defaults: a fifth "
            + "of a file, all of a folder's dev file, 100 of a --task).")
    Integer devSize;

    @Option(names = "--test-size", paramLabel = "N", description = "Test examples, at most: what is left of a file (default: "
            + "all of it), a sample of a folder's test file (default: all), 200 of a --task.")
    Integer testSize;

    /** The output classes named by --classes, or null. */
    OutputClasses outputClasses(CommandLine commandLine) {
        if (classes == null || classes.isEmpty()) return null;
        try {
            return new OutputClasses(classes.stream().map(String::strip).toList());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine, "--classes: " + e.getMessage());
        }
    }

    /** The examples of --data, checked row by row and split; bad rows fail naming the file, the line and the field. */
    Dataset load(CommandLine commandLine, long seed) {
        if (!Files.exists(data)) throw new CommandLine.ParameterException(commandLine, "--data: no file or folder at " + data);
        String fileName = data.toAbsolutePath().normalize().getFileName().toString();
        String name = Files.isDirectory(data) ? fileName : fileName.replaceFirst("\\.(?i:jsonl|csv|ndjson)$", "");
        if (!Files.isDirectory(data) && !fileName.toLowerCase(Locale.ROOT).matches(".*\\.(jsonl|csv|ndjson)")) {
            throw new CommandLine.ParameterException(commandLine, "--data: " + data + " is neither a .jsonl nor a .csv file, nor a folder");
        }
        TaskSpec spec = TaskSpec.jsonLines(name, data.toString(), instruction, outputClasses(commandLine));
        try {
            return Datasets.userData(data, spec, seed, trainSize, devSize, testSize);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine, e.getMessage());
        }
    }
}
