package io.dln.cli;

import io.dln.cli.gateway.Api;
import io.dln.cli.gateway.GatewayClient;
import io.dln.cli.gateway.Json;
import com.fasterxml.jackson.databind.JsonNode;
import io.dln.core.data.Datasets;
import io.dln.core.data.Example;
import io.dln.core.loss.Loss;
import io.dln.core.loss.Losses;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "predict", sortOptions = false,
        description = "Answer inputs with a trained DLN: one answer per line, in the order of the inputs.")
final class PredictCommand implements Callable<Integer> {

    @Mixin GatewayOptions gateway;

    @Parameters(index = "0", paramLabel = "MODEL", description = "NAME, NAME:ALIAS or NAME:VERSION (default: the 'prod' alias, else the newest version).")
    String model;

    @Parameters(index = "1..*", arity = "0..*", paramLabel = "INPUT", description = "Inputs; '-' reads one input per line from standard input.")
    List<String> inputs;

    @Option(names = "--examples", paramLabel = "FILE", description = "Instead of inputs: labelled examples (JSON lines or CSV of "
            + "input and target) to answer and compare with their targets; prints the answers with the expected ones and "
            + "the accuracy over them (default: none).")
    Path examples;

    @Option(names = "--split", paramLabel = "NAME", description = "With --examples: only the rows whose split field is NAME, "
            + "e.g. test for held-out examples (default: every row).")
    String split;

    @Option(names = "--show", paramLabel = "N", defaultValue = "10",
            description = "With --examples: how many answers to print; the accuracy counts all (default: ${DEFAULT-VALUE}).")
    int show;

    @Spec CommandSpec spec;

    @Option(names = "--openai", description = "Go through the OpenAI-compatible /v1/chat/completions (model dln/MODEL), one call per input.")
    boolean openai;

    @Option(names = "--hidden", description = "Also print the hidden layer's text (DLN-2).")
    boolean hidden;

    @Option(names = "--json", description = "Print the gateway's answer as JSON.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        GatewayClient client = gateway.client();
        if (examples != null) return evaluate(client);
        if (inputs == null || inputs.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give the inputs to answer (or --examples FILE)");
        }
        List<String> texts = texts();
        if (openai) {
            String id = model.startsWith("dln/") ? model : "dln/" + model;
            for (String input : texts) {
                Api.ChatCompletion c = client.post("/v1/chat/completions",
                        new Api.ChatRequest(id, List.of(new Api.Message("user", input))), Api.ChatCompletion.class);
                System.out.println(json ? Json.pretty(c) : c.choices().getFirst().message().content());
            }
            return ExitCodes.OK;
        }
        Api.Prediction p = predict(client, texts);
        if (json) {
            System.out.println(Json.pretty(p));
            return ExitCodes.OK;
        }
        for (int i = 0; i < p.outputs().size(); i++) {
            if (hidden && p.hidden() != null) System.out.println("hidden: " + p.hidden().get(i).strip().replaceAll("\\s*\\n\\s*", " "));
            System.out.println(p.outputs().get(i));
        }
        return ExitCodes.OK;
    }

    /** The model's answers to the inputs, from the version MODEL names. */
    private Api.Prediction predict(GatewayClient client, List<String> texts) {
        String name = name();
        Integer version = null;
        String alias = null;
        int colon = name.indexOf(':');
        if (colon >= 0) {
            String ref = name.substring(colon + 1);
            name = name.substring(0, colon);
            if (ref.matches("\\d+")) version = Integer.parseInt(ref);
            else alias = ref;
        }
        return client.post(ModelsCommand.path(name) + "/predict", new Api.Predict(version, alias, texts, hidden), Api.Prediction.class);
    }

    private String name() {
        return model.startsWith("dln/") ? model.substring(4) : model;
    }

    /** Answers labelled examples and scores the answers by the model's own loss; exit 0 whenever the model answered. */
    private int evaluate(GatewayClient client) {
        if (inputs != null && !inputs.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give either inputs or --examples, not both");
        }
        if (!Files.isRegularFile(examples)) throw new CommandLine.ParameterException(spec.commandLine(), "--examples: no file " + examples);
        List<Example> rows = Datasets.userExamples(examples, split);
        if (rows.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--examples: " + examples + " has no rows"
                    + (split == null ? "" : " of split '" + split + "'"));
        }
        List<String> answers = new ArrayList<>();
        Api.Prediction last = null;
        for (int from = 0; from < rows.size(); from += CHUNK) {
            List<String> texts = rows.subList(from, Math.min(rows.size(), from + CHUNK)).stream().map(Example::input).toList();
            last = predict(client, texts);
            answers.addAll(last.outputs());
        }
        String modelName = name().contains(":") ? name().substring(0, name().indexOf(':')) : name();
        JsonNode version = client.get(ModelsCommand.path(modelName) + "/versions/" + last.version(), JsonNode.class);
        Loss loss = Losses.byName(version.path("loss").asText("exact_match"));
        int right = 0;
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            boolean correct = loss.isCorrect(answers.get(i), rows.get(i).target());
            if (correct) right++;
            if (i < show) {
                String input = rows.get(i).input().strip().replaceAll("\\s+", " ");
                if (input.length() > 90) input = input.substring(0, 87) + "...";
                lines.add(String.format("  %s %s%n      answer: %s   expected: %s", correct ? "[right]" : "[WRONG]", input,
                        answers.get(i).strip(), rows.get(i).target()));
            }
        }
        String which = split == null ? "" : " of split '" + split + "'";
        System.out.printf("%d examples%s of %s, answered by %s version %d:%n", rows.size(), which, examples, modelName, last.version());
        lines.forEach(System.out::println);
        if (rows.size() > show) System.out.printf("  (%d more not shown; --show N)%n", rows.size() - show);
        System.out.printf("Accuracy over these %d: %d/%d = %.1f%%%n", rows.size(), right, rows.size(), 100.0 * right / rows.size());
        return ExitCodes.OK;
    }

    private static final int CHUNK = 16;

    private List<String> texts() throws IOException {
        List<String> texts = new ArrayList<>();
        for (String input : inputs) {
            if (!input.equals("-")) {
                texts.add(input);
                continue;
            }
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null; ) if (!line.isBlank()) texts.add(line);
        }
        return texts;
    }
}
