package io.dln.gateway.support;

import io.dln.core.model.Candidate;
import io.dln.core.model.CandidateOrigin;
import io.dln.core.model.DlnSettings;
import io.dln.core.model.HiddenSample;
import io.dln.core.model.NetworkPrompts;
import io.dln.core.train.StepTrace;
import io.dln.core.template.Template;
import io.dln.core.template.TemplateLibrary;
import io.dln.store.IterationTraceEntity;
import io.dln.store.ModelEntity;
import io.dln.store.RunIterationEntity;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.restassured.response.Response;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Data the tests need: uploaded data sets, and the rows a trainer would write (models, iterations). */
public final class Fixtures {

    private Fixtures() {
    }

    /** {@code n} JSON lines alternating yes/no targets. */
    public static String yesNoLines(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append("{\"input\": \"Is ").append(i).append(" even?\", \"target\": \"").append(i % 2 == 0 ? "yes" : "no").append("\"}\n");
        }
        return sb.toString();
    }

    /** Uploads a yes/no data set of 20 examples with classes; returns its id. */
    public static String dataset(String key, String name) {
        Response r = Api.as(key).contentType("application/x-ndjson").body(yesNoLines(20).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .queryParam("name", name).queryParam("classes", "yes|Yes").queryParam("classes", "no|No")
                .queryParam("instruction", "Answer yes or no.")
                .post("/api/datasets");
        r.then().statusCode(201);
        return r.path("id");
    }

    /** Queues a DLN-1 run on the simulator backend; returns its id. */
    public static String run(String key, String datasetId, String modelName) {
        Response r = Api.json(key).body(Map.of("datasetId", datasetId, "modelName", modelName, "backend", "simulator",
                "settings", Map.of("iterations", 3))).post("/api/runs");
        r.then().statusCode(201);
        return r.path("id");
    }

    /** A trained DLN version as the trainer registers it, on the simulator backend. */
    public static ModelEntity model(String tenant, String name, int version, int layers, List<String> classes, String p1, String p2) {
        return model(tenant, name, version, layers, classes, p1, p2, "simulator", DlnSettings.builder().layers(layers).iterations(3).build());
    }

    /** The same on another backend, with other settings. */
    public static ModelEntity model(String tenant, String name, int version, int layers, List<String> classes, String p1, String p2,
                                    String backend, DlnSettings settings) {
        TemplateLibrary library = TemplateLibrary.builtIn();
        Map<String, Template> templates = new LinkedHashMap<>();
        templates.put("forward", library.get("forward"));
        templates.put("hidden", library.get("hidden-forward"));
        templates.put("residual", library.get("residual"));
        ModelEntity m = new ModelEntity();
        m.id = UUID.randomUUID();
        m.tenant = tenant;
        m.name = name;
        m.version = version;
        m.layers = layers;
        m.p1 = p1;
        m.p2 = p2;
        m.outputClasses = classes;
        m.loss = "exact_match";
        m.settings = settings;
        m.templates = templates;
        m.metrics = Map.of("devAccuracy", 0.8, "testAccuracy", 0.75);
        m.forwardBackend = backend;
        m.createdAt = OffsetDateTime.now();
        QuarkusTransaction.requiringNew().run(m::persist);
        return m;
    }

    /** An iteration of a DLN-2 run with the trace of its step: two examples, two posterior samples each. */
    public static void tracedIteration(UUID runId, int iteration, String before, String after) {
        QuarkusTransaction.requiringNew().run(() -> {
            RunIterationEntity row = new RunIterationEntity();
            row.key = new RunIterationEntity.Key(runId, iteration);
            row.p1 = "Think step by step.";
            row.p2 = after;
            row.batchAccuracy = 0.5;
            row.elbo = -1.25;
            row.elbo1 = -0.75;
            row.elbo2 = -0.5;
            row.candidates = new RunIterationEntity.Candidates(
                    List.of(new Candidate("Think step by step.", -0.75, true, CandidateOrigin.CURRENT)),
                    List.of(new Candidate(before, -0.9, false, CandidateOrigin.CURRENT),
                            new Candidate(after, -0.5, true, CandidateOrigin.PROPOSAL)));
            row.tokensUsed = 1234;
            row.createdAt = OffsetDateTime.now();
            row.persist();
            IterationTraceEntity trace = new IterationTraceEntity();
            trace.key = row.key;
            trace.trace = new StepTrace(new NetworkPrompts("Think step by step.", before), new NetworkPrompts("Think step by step.", before), 2,
                    List.of(new StepTrace.TracedExample(0, "Is 4 even?", "yes", "4 ends in 4.", "no", false,
                                    List.of(new HiddenSample("4 is divisible by 2.", 0.8, -0.2, -3.0),
                                            new HiddenSample("4 is odd.", 0.2, -1.6, -2.5))),
                            new StepTrace.TracedExample(1, "Is 7 even?", "no", "7 is odd.", "no", true,
                                    List.of(new HiddenSample("7 is odd.", 0.5, -0.1, null), new HiddenSample("7 is odd.", 0.5, -0.1, null)))));
            trace.persist();
        });
    }

    public static void iteration(UUID runId, int iteration, double dev) {
        QuarkusTransaction.requiringNew().run(() -> {
            RunIterationEntity row = new RunIterationEntity();
            row.key = new RunIterationEntity.Key(runId, iteration);
            row.p1 = "";
            row.p2 = "prompt after iteration " + iteration;
            row.devAccuracy = dev;
            row.batchAccuracy = 0.5;
            row.elbo = -1.0 / iteration;
            row.candidates = new RunIterationEntity.Candidates(List.of(),
                    List.of(new io.dln.core.model.Candidate("prompt after iteration " + iteration, -0.5)));
            row.tokensUsed = 100L * iteration;
            row.createdAt = OffsetDateTime.now();
            row.persist();
        });
    }
}
