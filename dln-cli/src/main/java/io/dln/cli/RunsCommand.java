package io.dln.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dln.cli.gateway.Api;
import io.dln.cli.gateway.GatewayClient;
import io.dln.cli.gateway.Json;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import io.dln.core.data.Dataset;
import io.dln.core.data.Example;
import io.dln.core.data.Split;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;

@Command(name = "runs", description = "Training runs on the gateway: start, watch, list, show, trace, pause, cancel, resume.",
        subcommands = {RunsCommand.Start.class, RunsCommand.Watch.class, RunsCommand.ListRuns.class, RunsCommand.Show.class,
                RunsCommand.Pause.class, RunsCommand.Cancel.class, RunsCommand.Resume.class, TraceCommand.class})
final class RunsCommand {

    static final TypeReference<Api.Page<Api.Run>> PAGE = new TypeReference<>() {
    };

    /** Follows the run to its end, prints its summary; 0 when it SUCCEEDED, 1 otherwise. */
    static int watch(GatewayClient client, UUID id, boolean json) {
        Api.Run run = new RunWatcher(client, System.err, Format.interactive()).watch(id);
        if (json) System.out.println(Json.pretty(run));
        else RunSummary.print(run, System.out, false);
        return "SUCCEEDED".equals(run.status()) ? ExitCodes.OK : ExitCodes.FAILURE;
    }

    static UUID runId(CommandSpec spec, String text) {
        UUID id = DatasetsCommand.uuid(text);
        if (id == null) throw new CommandLine.ParameterException(spec.commandLine(), "'" + text + "' is not a run id");
        return id;
    }

    @Command(name = "start", sortOptions = false, description = "Queue a training run on a data set of the gateway "
            + "(--dataset), or on your own data (--data), uploaded first; --watch follows it to its end.")
    static final class Start implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin GatewayOptions gateway;
        @Mixin OutputOptions output;

        @Option(names = "--dataset", paramLabel = "ID|NAME", description = "A data set of the gateway to train on (or --data).")
        String dataset;
        @Mixin DataOptions data;
        @Option(names = "--dataset-name", paramLabel = "NAME", description = "Name of the data set --data is uploaded as "
                + "(default: the file's or folder's name and the time).")
        String datasetName;
        @Option(names = "--model-name", paramLabel = "NAME", description = "Name the trained DLN is registered under (default: the data set's name).")
        String modelName;
        @Option(names = "--layers", paramLabel = "1|2", description = "1 (DLN-1) or 2 (DLN-2) (default: the settings file's, else 1).")
        Integer layers;
        @Option(names = "--iterations", paramLabel = "N", description = "Training iterations, each one prompt update on a batch "
                + "(default: the settings file's, else 20).")
        Integer iterations;
        @Option(names = "--batch-size", paramLabel = "N", description = "Training examples per iteration (default: the settings "
                + "file's, else 20).")
        Integer batchSize;
        @Option(names = "--p-samples", paramLabel = "N", description = "Prompt candidates per update, the current prompt included "
                + "(default: the settings file's, else 5).")
        Integer pSamples;
        @Option(names = "--h-samples", paramLabel = "N", description = "Hidden-text samples per example, DLN-2 only (default: the "
                + "settings file's, else 3).")
        Integer hSamples;
        @Option(names = "--validate-every", paramLabel = "N", description = "Validate on the dev split every N iterations, and after "
                + "the last (default: the settings file's, else 2).")
        Integer validateEvery;
        @Option(names = "--patience", paramLabel = "N", description = "Stop after N validations without improvement; 0 never stops "
                + "early (default: the settings file's, else 0).")
        Integer patience;
        @Option(names = "--settings", paramLabel = "FILE", description = "A JSON file of DLN settings; its values hold unless the same "
                + "option is given on this command line (default: none).")
        Path settingsFile;
        @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Any other DLN setting, e.g. --set trustFactor=0.5; "
                + "repeatable, over the settings file.")
        List<String> set;
        @Option(names = "--backend", paramLabel = "NAME", defaultValue = "${DLN_BACKEND:-simulator}",
                description = "The LLM backend for all calls (default: $DLN_BACKEND, else ${DEFAULT-VALUE}).")
        String backend;
        @Option(names = "--seed", paramLabel = "N", description = "Seed of the run (default: a random one); also splits --data "
                + "(default there: 42).")
        Long seed;
        @Option(names = "--token-budget", paramLabel = "TOKENS", description = "Tokens the run may use (default: no limit).")
        Long tokenBudget;
        @Option(names = "--watch", description = "Follow the run to its end; exit 0 only when it succeeds.") boolean watch;
        @Option(names = "--guided", description = "Pause after every iteration for guidance (Studio or API); go on with 'runs resume'.")
        boolean guided;

        @Override
        public Integer call() throws IOException {
            if ((dataset == null) == (data.data == null)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "give the data set to train on: --dataset ID|NAME, or --data FILE|FOLDER");
            }
            if (dataset != null && data.classes != null && !data.classes.isEmpty()) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--classes names the classes of --data; a data set "
                        + "of the gateway has its own (set when uploaded: dln datasets upload --classes)");
            }
            ObjectNode settings = settings();
            GatewayClient client = gateway.client();
            Api.Dataset d = dataset != null ? DatasetsCommand.find(client, dataset) : upload(client);
            String name = modelName != null ? modelName : d.name().replaceAll("[^A-Za-z0-9._-]", "-").replaceAll("^[^A-Za-z0-9]+", "");
            Api.Run run = client.post("/api/runs", new Api.CreateRun(d.id(), name, layers, settings.isEmpty() ? null : settings,
                    backend, seed, tokenBudget, guided ? Boolean.TRUE : null), Api.Run.class);
            if (output.quiet) System.out.println(run.id());
            else if (output.json && !watch) System.out.println(Json.pretty(run));
            else if (!output.json) {
                System.out.printf("Started run %s (%s): DLN-%d '%s' on data set '%s', %d iterations, backend %s.%n", run.id(),
                        run.status(), run.layers(), run.modelName(), d.name(), run.iterations(), backend);
                if (!watch) System.out.printf("Follow it with: dln runs watch %s%n", run.id());
            }
            System.out.flush();
            return watch ? RunsCommand.watch(client, run.id(), output.json) : ExitCodes.OK;
        }

        /** The settings file with the options given here over it, checked before anything is sent. */
        private ObjectNode settings() {
            SettingsFile file = SettingsFile.read(spec.commandLine(), settingsFile);
            file.given("iterations", iterations);
            file.given("batchSize", batchSize);
            file.given("pSamples", pSamples);
            file.given("hSamples", hSamples);
            file.given("validateEvery", validateEvery);
            file.given("patience", patience);
            file.given("initP2", data.instruction);
            file.given("initP1", data.hiddenInstruction);
            for (String pair : set == null ? List.<String>of() : set) {
                int eq = pair.indexOf('=');
                if (eq <= 0) throw new CommandLine.ParameterException(spec.commandLine(), "--set takes KEY=VALUE, not '" + pair + "'");
                file.set(pair.substring(0, eq).strip(), value(pair.substring(eq + 1).strip()));
            }
            ObjectNode sent = file.node().deepCopy();
            if (layers != null) file.given("layers", layers);
            file.settings();
            return sent;
        }

        /** Reads and checks --data here, then uploads it with its splits, classes and instruction. */
        private Api.Dataset upload(GatewayClient client) throws IOException {
            Dataset local = data.load(spec.commandLine(), seed != null ? seed : 42);
            StringBuilder jsonl = new StringBuilder();
            for (Split split : Split.values()) {
                for (Example e : local.split(split)) {
                    ObjectNode row = Json.MAPPER.createObjectNode().put("input", e.input()).put("target", e.target())
                            .put("split", split.name().toLowerCase(Locale.ROOT));
                    jsonl.append(Json.MAPPER.writeValueAsString(row)).append('\n');
                }
            }
            Path file = Files.createTempFile("dln-upload-", ".jsonl");
            try {
                Files.writeString(file, jsonl, StandardCharsets.UTF_8);
                String uploadName = datasetName != null ? datasetName
                        : local.name().replaceAll("[^A-Za-z0-9 ._-]", "-") + "-" + LocalDateTime.now().format(STAMP);
                Api.Dataset d = client.upload(GatewayClient.query("/api/datasets", GatewayClient.params("name", uploadName,
                        "format", "jsonl", "instruction", data.instruction, "classes", data.classes)), file, "application/x-ndjson",
                        Api.Dataset.class);
                if (!output.quiet && !output.json) {
                    System.out.printf("Uploaded %s as data set '%s' (%s): %s train/dev/test examples.%n", data.data, d.name(), d.id(),
                            DatasetsCommand.counts(d));
                }
                return d;
            } finally {
                Files.deleteIfExists(file);
            }
        }

        private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

        /** A number, boolean, null or JSON value as such; anything else as text. */
        private static JsonNode value(String text) {
            try {
                return Json.MAPPER.readTree(text);
            } catch (IOException e) {
                return Json.MAPPER.getNodeFactory().textNode(text);
            }
        }
    }

    @Command(name = "watch", description = "Follow a run with a progress bar until it ends; exit 0 when it SUCCEEDED, 1 when it FAILED or was CANCELLED.")
    static final class Watch implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin GatewayOptions gateway;
        @Option(names = "--json", description = "Print the ended run as JSON.") boolean json;
        @Parameters(paramLabel = "RUN_ID") String id;

        @Override
        public Integer call() {
            return watch(gateway.client(), runId(spec, id), json);
        }
    }

    @Command(name = "list", description = "List runs, newest first.")
    static final class ListRuns implements Callable<Integer> {
        @Mixin GatewayOptions gateway;
        @Mixin OutputOptions output;
        @Option(names = "--status", paramLabel = "STATUS", description = "QUEUED, RUNNING, PAUSED, SUCCEEDED, FAILED or CANCELLED.") String status;
        @Option(names = "--dataset", paramLabel = "ID") UUID datasetId;
        @Option(names = "--model-name", paramLabel = "NAME") String modelName;
        @Option(names = "--page", defaultValue = "0") int page;
        @Option(names = "--size", defaultValue = "20") int size;

        @Override
        public Integer call() {
            Api.Page<Api.Run> p = gateway.client().get(GatewayClient.query("/api/runs", GatewayClient.params("status", status,
                    "datasetId", datasetId, "modelName", modelName, "page", page, "size", size)), PAGE);
            if (output.json) {
                System.out.println(Json.pretty(p));
                return ExitCodes.OK;
            }
            if (output.quiet) {
                p.items().forEach(r -> System.out.println(r.id()));
                return ExitCodes.OK;
            }
            Format.Table table = new Format.Table("ID", "STATUS", "MODEL", "LAYERS", "ITERATION", "BEST DEV", "TEST", "TOKENS", "CREATED");
            for (Api.Run r : p.items()) {
                table.row(r.id(), r.status(), r.modelName(), r.layers(), r.iteration() + "/" + r.iterations(),
                        Format.percent(r.bestDevAccuracy()), Format.percent(r.testAccuracy()), String.format("%,d", r.tokensUsed()),
                        Format.time(r.createdAt()));
            }
            System.out.print(table.empty() ? "No runs.\n" : table.render());
            if (p.total() > p.items().size()) System.out.printf("(%d shown of %d; --page, --size)%n", p.items().size(), p.total());
            return ExitCodes.OK;
        }
    }

    @Command(name = "show", description = "Show a run: status, accuracies, best prompts, tokens; --history adds its iterations.")
    static final class Show implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin GatewayOptions gateway;
        @Mixin OutputOptions output;
        @Option(names = "--history", description = "Also list the run's iterations.") boolean history;
        @Parameters(paramLabel = "RUN_ID") String id;

        @Override
        public Integer call() {
            GatewayClient client = gateway.client();
            UUID runId = runId(spec, id);
            Api.Run run = client.get("/api/runs/" + runId, Api.Run.class);
            if (output.json) System.out.println(Json.pretty(run));
            else if (output.quiet) System.out.println(run.status());
            else RunSummary.print(run, System.out, true);
            if (history && !output.quiet) {
                List<Api.Iteration> rows = client.get("/api/runs/" + runId + "/iterations", new TypeReference<List<Api.Iteration>>() {
                });
                if (output.json) {
                    System.out.println(Json.pretty(rows));
                } else {
                    Format.Table table = new Format.Table("ITERATION", "DEV", "BATCH ACC", "TOKENS", "OUTPUT PROMPT");
                    for (Api.Iteration i : rows) {
                        String p2 = i.p2() == null ? "-" : i.p2().strip().replaceAll("\\s+", " ");
                        table.row(i.iteration() + 1, Format.percent(i.devAccuracy()), Format.percent(i.batchAccuracy()),
                                String.format("%,d", i.tokensUsed()), p2.length() > 80 ? p2.substring(0, 77) + "..." : p2);
                    }
                    System.out.print(table.render());
                }
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "cancel", description = "Cancel a run: a queued or paused one at once, a running one within seconds.")
    static final class Cancel implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin GatewayOptions gateway;
        @Parameters(paramLabel = "RUN_ID") String id;

        @Override
        public Integer call() {
            Api.Run run = gateway.client().post("/api/runs/" + runId(spec, id) + "/cancel", null, Api.Run.class);
            System.out.println("CANCELLED".equals(run.status()) ? "Cancelled run " + run.id() + "."
                    : "Cancel requested for run " + run.id() + " (" + run.status() + "): its trainer stops it within seconds.");
            return ExitCodes.OK;
        }
    }

    @Command(name = "pause", description = "Pause a run after the iteration under way (a queued one at once); go on with 'runs resume'.")
    static final class Pause implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin GatewayOptions gateway;
        @Parameters(paramLabel = "RUN_ID") String id;

        @Override
        public Integer call() {
            Api.Run run = gateway.client().post("/api/runs/" + runId(spec, id) + "/pause", null, Api.Run.class);
            System.out.println("PAUSED".equals(run.status()) ? "Paused run " + run.id() + " before iteration " + (run.iteration() + 1) + "."
                    : "Pause requested for run " + run.id() + " (" + run.status() + "): it pauses after its current iteration.");
            return ExitCodes.OK;
        }
    }

    @Command(name = "resume", description = "Queue a PAUSED, FAILED or CANCELLED run again from its checkpoint.")
    static final class Resume implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin GatewayOptions gateway;
        @Option(names = "--token-budget", paramLabel = "TOKENS", description = "A new, larger token budget.") Long tokenBudget;
        @Option(names = "--guided", negatable = true, description = "Pause after every iteration from now on (--no-guided: run on to the end).")
        Boolean guided;
        @Option(names = "--watch", description = "Follow the run to its end; exit 0 only when it succeeds.") boolean watch;
        @Parameters(paramLabel = "RUN_ID") String id;

        @Override
        public Integer call() {
            GatewayClient client = gateway.client();
            Api.Run run = client.post("/api/runs/" + runId(spec, id) + "/resume", new Api.ResumeRun(tokenBudget, guided), Api.Run.class);
            System.out.printf("Resumed run %s (%s) from iteration %d/%d.%n", run.id(), run.status(), run.iteration(), run.iterations());
            System.out.flush();
            return watch ? RunsCommand.watch(client, run.id(), false) : ExitCodes.OK;
        }
    }
}
