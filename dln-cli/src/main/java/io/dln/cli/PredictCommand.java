package io.dln.cli;

import io.dln.cli.gateway.Api;
import io.dln.cli.gateway.GatewayClient;
import io.dln.cli.gateway.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "predict", sortOptions = false,
        description = "Answer inputs with a trained DLN: one answer per line, in the order of the inputs.")
final class PredictCommand implements Callable<Integer> {

    @Mixin GatewayOptions gateway;

    @Parameters(index = "0", paramLabel = "MODEL", description = "NAME, NAME:ALIAS or NAME:VERSION (default: the 'prod' alias, else the newest version).")
    String model;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "INPUT", description = "Inputs; '-' reads one input per line from standard input.")
    List<String> inputs;

    @Option(names = "--openai", description = "Go through the OpenAI-compatible /v1/chat/completions (model dln/MODEL), one call per input.")
    boolean openai;

    @Option(names = "--hidden", description = "Also print the hidden layer's text (DLN-2).")
    boolean hidden;

    @Option(names = "--json", description = "Print the gateway's answer as JSON.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        GatewayClient client = gateway.client();
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
        String name = model.startsWith("dln/") ? model.substring(4) : model;
        Integer version = null;
        String alias = null;
        int colon = name.indexOf(':');
        if (colon >= 0) {
            String ref = name.substring(colon + 1);
            name = name.substring(0, colon);
            if (ref.matches("\\d+")) version = Integer.parseInt(ref);
            else alias = ref;
        }
        Api.Prediction p = client.post(ModelsCommand.path(name) + "/predict", new Api.Predict(version, alias, texts, hidden),
                Api.Prediction.class);
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
