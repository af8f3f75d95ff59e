package io.dln.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dln.tasks.TaskExample;
import io.dln.tasks.TaskFamily;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "generate-data", sortOptions = false,
        description = "Write examples of a generated task as JSON lines {\"input\", \"target\", \"split\"}, ready for 'dln datasets upload'.")
final class GenerateDataCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--task", required = true, description = "generated:<name> ('dln tasks' lists them).")
    String task;

    @Option(names = "--count", defaultValue = "60", description = "Examples in all (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--dev", description = "Of them, dev examples (default: a quarter).")
    Integer dev;

    @Option(names = "--test", description = "Of them, test examples (default: a quarter).")
    Integer test;

    @Option(names = "--seed", defaultValue = "42", description = "Same seed, same examples (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", defaultValue = "-", paramLabel = "FILE",
            description = "Where to write them, each row with its split; '-' is standard output (default: ${DEFAULT-VALUE}).")
    String out;

    @Option(names = "--out-dir", paramLabel = "FOLDER",
            description = "Write them instead as train.jsonl, dev.jsonl and test.jsonl in this folder, as 'dln train --data' reads a folder.")
    Path outDir;

    @Override
    public Integer call() throws IOException {
        TaskFamily family = generatedFamily(spec, task);
        int devCount = dev != null ? dev : count / 4;
        int testCount = test != null ? test : count / 4;
        if (count < 1 || devCount < 0 || testCount < 0 || devCount + testCount >= count) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--count must exceed --dev plus --test, leaving training examples (count " + count + ", dev " + devCount + ", test " + testCount + ")");
        }
        List<TaskExample> examples = family.generate(seed, count);
        int train = count - devCount - testCount;
        ObjectMapper json = new ObjectMapper();
        StringBuilder text = new StringBuilder();
        Map<String, StringBuilder> bySplit = new LinkedHashMap<>();
        for (int i = 0; i < examples.size(); i++) {
            String split = i < train ? "train" : i < train + devCount ? "dev" : "test";
            Map<String, String> row = new LinkedHashMap<>();
            row.put("input", examples.get(i).input());
            row.put("target", examples.get(i).target());
            bySplit.computeIfAbsent(split, s -> new StringBuilder()).append(json.writeValueAsString(row)).append('\n');
            row.put("split", split);
            text.append(json.writeValueAsString(row)).append('\n');
        }
        if (outDir != null) {
            Files.createDirectories(outDir);
            for (String split : List.of("train", "dev", "test")) {
                Files.writeString(outDir.resolve(split + ".jsonl"), bySplit.getOrDefault(split, new StringBuilder()), StandardCharsets.UTF_8);
            }
            System.err.printf("Wrote %d examples of %s (seed %d) to %s: train.jsonl (%d), dev.jsonl (%d), test.jsonl (%d)%n", count,
                    task, seed, outDir, train, devCount, testCount);
        } else if (out.equals("-")) {
            System.out.print(text);
            System.out.flush();
        } else {
            Path file = Path.of(out);
            if (file.toAbsolutePath().getParent() != null) Files.createDirectories(file.toAbsolutePath().getParent());
            try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                w.write(text.toString());
            }
            PrintStream err = System.err;
            err.printf("Wrote %d examples of %s (%d train / %d dev / %d test, seed %d) to %s%n", count, task, train, devCount,
                    testCount, seed, file);
        }
        return ExitCodes.OK;
    }

    /** The generated task family a "generated:<name>" option names; a usage error otherwise. */
    static TaskFamily generatedFamily(CommandSpec spec, String task) {
        if (!task.startsWith(TaskSource.GENERATED)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--task must be generated:<name>; 'dln tasks' lists them");
        }
        String name = task.substring(TaskSource.GENERATED.length());
        return io.dln.tasks.TaskWorld.standard().byName(name).orElseThrow(() -> new CommandLine.ParameterException(
                spec.commandLine(), "no generated task '" + name + "'; 'dln tasks' lists them"));
    }
}
