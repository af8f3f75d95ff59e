package io.dln.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import io.dln.cli.gateway.Api;
import io.dln.cli.gateway.GatewayClient;
import io.dln.cli.gateway.GatewayException;
import io.dln.cli.gateway.Json;
import io.dln.tasks.TaskFamily;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

@Command(name = "datasets", description = "Data sets on the gateway: upload, list, show, delete.",
        subcommands = {DatasetsCommand.Upload.class, DatasetsCommand.ListDatasets.class, DatasetsCommand.Show.class,
                DatasetsCommand.Delete.class})
final class DatasetsCommand {

    static final TypeReference<Api.Page<Api.Dataset>> PAGE = new TypeReference<>() {
    };

    /** The data set an id or a name denotes. */
    static Api.Dataset find(GatewayClient client, String idOrName) {
        UUID id = uuid(idOrName);
        if (id != null) return client.get("/api/datasets/" + id, Api.Dataset.class);
        for (int page = 0; ; page++) {
            Api.Page<Api.Dataset> p = client.get(GatewayClient.query("/api/datasets", Map.of("page", page, "size", 100)), PAGE);
            for (Api.Dataset d : p.items()) {
                if (d.name().equals(idOrName)) return client.get("/api/datasets/" + d.id(), Api.Dataset.class);
            }
            if (p.items().isEmpty() || (long) (page + 1) * p.size() >= p.total()) break;
        }
        throw new GatewayException(404, "not_found", "no data set named '" + idOrName + "'; 'dln datasets list' shows them", List.of());
    }

    static UUID uuid(String text) {
        try {
            return UUID.fromString(text.strip());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static String counts(Api.Dataset d) {
        return d.counts() == null ? "-" : d.counts().train() + "/" + d.counts().dev() + "/" + d.counts().test();
    }

    @Command(name = "upload", sortOptions = false, description = "Upload a JSON-lines, CSV or BBH file as a data set.")
    static final class Upload implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin GatewayOptions gateway;
        @Mixin OutputOptions output;

        @Parameters(paramLabel = "FILE", description = "JSON lines or CSV of input, target and optionally split; or a BBH JSON file.")
        Path file;

        @Option(names = "--name", description = "Its name (default: the file's name without extension).")
        String name;

        @Option(names = "--format", description = "jsonl, csv or bbh (default: from the file's extension).")
        String format;

        @Option(names = "--task", description = "Take instruction, classes and loss from a task: generated:<name>, or one of the "
                + "gateway's built-in tasks (e.g. navigate) (default: none).")
        String task;

        @Option(names = "--instruction", description = "The task's instruction: the initial prompt of the output layer "
                + "(default: the --task's, else none).")
        String instruction;

        @Option(names = {"--class", "--classes"}, split = ",", paramLabel = "CLASS", description = "The output classes, each its "
                + "verbalizers joined by '|', separated by commas or repeated (e.g. --classes 'yes|Yes,no|No', or --class 'yes|Yes' "
                + "--class 'no|No'); every target must match one (default: the --task's, else none).")
        List<String> classes;

        @Option(names = "--loss", description = "exact_match (default) or number_presence.")
        String loss;

        @Option(names = "--seed", description = "Seed of the split into fifths (train, dev, the rest test) when the rows give "
                + "none (default: the gateway's, 0).")
        Long seed;

        @Override
        public Integer call() {
            if (!Files.isReadable(file)) throw new CommandLine.ParameterException(spec.commandLine(), "cannot read " + file);
            String fileName = file.getFileName().toString();
            String kind = format != null ? format : formatOf(fileName);
            String builtInTask = task;
            if (task != null && task.startsWith(TaskSource.GENERATED)) {
                TaskFamily family = GenerateDataCommand.generatedFamily(spec, task);
                if (instruction == null) instruction = family.initialInstruction();
                if (classes == null || classes.isEmpty()) classes = family.outputClasses();
                builtInTask = null;
            }
            String path = GatewayClient.query("/api/datasets", GatewayClient.params(
                    "name", name != null ? name : stripExtension(fileName), "format", kind, "task", builtInTask,
                    "instruction", instruction, "classes", classes, "loss", loss, "seed", seed));
            Api.Dataset d = gateway.client().upload(path, file, contentType(kind), Api.Dataset.class);
            if (output.json) System.out.println(Json.pretty(d));
            else if (output.quiet) System.out.println(d.id());
            else System.out.printf("Uploaded data set '%s' (%s): %s train/dev/test examples%s.%n", d.name(), d.id(), counts(d),
                    d.outputClasses() == null || d.outputClasses().isEmpty() ? "" : ", classes " + String.join(", ", d.outputClasses()));
            return ExitCodes.OK;
        }

        private String formatOf(String fileName) {
            String lower = fileName.toLowerCase(Locale.ROOT);
            if (lower.endsWith(".jsonl") || lower.endsWith(".ndjson")) return "jsonl";
            if (lower.endsWith(".csv")) return "csv";
            if (lower.endsWith(".json")) return "bbh";
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "cannot tell the format of " + fileName + " from its extension: give --format jsonl|csv|bbh");
        }

        private static String contentType(String format) {
            return switch (format.toLowerCase(Locale.ROOT)) {
                case "csv" -> "text/csv";
                case "bbh", "json" -> "application/json";
                default -> "application/x-ndjson";
            };
        }

        private static String stripExtension(String fileName) {
            int dot = fileName.lastIndexOf('.');
            return dot > 0 ? fileName.substring(0, dot) : fileName;
        }
    }

    @Command(name = "list", description = "List the data sets, newest first.")
    static final class ListDatasets implements Callable<Integer> {
        @Mixin GatewayOptions gateway;
        @Mixin OutputOptions output;
        @Option(names = "--page", defaultValue = "0") int page;
        @Option(names = "--size", defaultValue = "20") int size;

        @Override
        public Integer call() {
            Api.Page<Api.Dataset> p = gateway.client().get(GatewayClient.query("/api/datasets", Map.of("page", page, "size", size)), PAGE);
            if (output.json) {
                System.out.println(Json.pretty(p));
                return ExitCodes.OK;
            }
            if (output.quiet) {
                p.items().forEach(d -> System.out.println(d.id()));
                return ExitCodes.OK;
            }
            Format.Table table = new Format.Table("ID", "NAME", "TRAIN/DEV/TEST", "CLASSES", "LOSS", "CREATED");
            for (Api.Dataset d : p.items()) {
                table.row(d.id(), d.name(), counts(d), d.outputClasses() == null ? 0 : d.outputClasses().size(), d.loss(),
                        Format.time(d.createdAt()));
            }
            System.out.print(table.empty() ? "No data sets.\n" : table.render());
            if (p.total() > p.items().size()) System.out.printf("(%d shown of %d; --page, --size)%n", p.items().size(), p.total());
            return ExitCodes.OK;
        }
    }

    @Command(name = "show", description = "Show a data set with its examples counted per split and class.")
    static final class Show implements Callable<Integer> {
        @Mixin GatewayOptions gateway;
        @Mixin OutputOptions output;
        @Parameters(paramLabel = "ID|NAME") String dataset;

        @Override
        public Integer call() {
            Api.Dataset d = find(gateway.client(), dataset);
            if (output.json) {
                System.out.println(Json.pretty(d));
                return ExitCodes.OK;
            }
            if (output.quiet) {
                System.out.println(d.id());
                return ExitCodes.OK;
            }
            System.out.printf("Data set:      %s (%s)%n", d.name(), d.id());
            System.out.printf("Instruction:   %s%n", d.instruction() == null || d.instruction().isBlank() ? "-" : d.instruction());
            System.out.printf("Classes:       %s%n", d.outputClasses() == null || d.outputClasses().isEmpty() ? "-" : String.join(", ", d.outputClasses()));
            System.out.printf("Loss:          %s%n", d.loss());
            System.out.printf("Examples:      %s train/dev/test%n", counts(d));
            if (d.classCounts() != null) {
                d.classCounts().forEach((split, byClass) -> System.out.printf("  %-5s        %s%n", split, byClass));
            }
            System.out.printf("Runs:          %s%n", Format.orDash(d.runs()));
            System.out.printf("Created:       %s%n", Format.time(d.createdAt()));
            return ExitCodes.OK;
        }
    }

    @Command(name = "delete", description = "Delete a data set (refused while runs use it).")
    static final class Delete implements Callable<Integer> {
        @Mixin GatewayOptions gateway;
        @Parameters(paramLabel = "ID|NAME") String dataset;

        @Override
        public Integer call() {
            GatewayClient client = gateway.client();
            UUID id = uuid(dataset);
            if (id == null) id = find(client, dataset).id();
            client.delete("/api/datasets/" + id);
            System.out.printf("Deleted data set %s.%n", id);
            return ExitCodes.OK;
        }
    }
}
