package io.dln.gateway;

import io.dln.gateway.support.Api;
import io.dln.gateway.support.Fixtures;
import io.dln.gateway.support.GatewayTestResources;
import io.dln.store.RunEntity;
import io.dln.store.RunStatus;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
@WithTestResource(value = GatewayTestResources.class, scope = TestResourceScope.GLOBAL)
class RunTest {

    private final String tenant = Api.tenant("runs");
    private String key;
    private String dataset;

    @org.junit.jupiter.api.BeforeEach
    void data() {
        key = Api.key(tenant, "trainer");
        dataset = Fixtures.dataset(key, "runs-data");
    }

    @Test
    void createsARunWithDefaultsAndShowsIt() {
        var created = Api.json(key).body(Map.of("datasetId", dataset, "modelName", "parity", "layers", 2,
                        "forwardBackend", "simulator", "backwardBackend", "simulator", "scoringBackend", "simulator", "seed", 11, "tokenBudget", 50000,
                        "settings", Map.of("iterations", 4, "hSamples", 2, "outputScoring", "logprobs")))
                .post("/api/runs");
        created.then().statusCode(201).header("Location", containsString("/api/runs/"))
                .body("status", is("QUEUED")).body("layers", is(2)).body("iterations", is(4)).body("iteration", is(0))
                .body("seed", is(11)).body("tokenBudget", is(50000)).body("backends.forward", is("simulator"))
                .body("settings.hSamples", is(2)).body("settings.pSamples", is(5)).body("settings.batchSize", is(20))
                .body("settings.outputScoring", is("LOGPROBS"));
        String id = created.path("id");
        RunEntity row = QuarkusTransaction.requiringNew().call(() -> RunEntity.findById(UUID.fromString(id)));
        org.junit.jupiter.api.Assertions.assertEquals(4, row.iterations);
        org.junit.jupiter.api.Assertions.assertEquals("parity", row.modelName);
        org.junit.jupiter.api.Assertions.assertEquals(2, row.settings.layers());

        Api.as(key).get("/api/runs/" + id).then().statusCode(200).body("id", is(id)).body("status", is("QUEUED"))
                .body("elapsedSeconds", nullValue()).body("settings.iterations", is(4));
    }

    @Test
    void showsProgressAndHistoryAsTheTrainerWritesThem() {
        String id = Fixtures.run(key, dataset, "progress");
        UUID runId = UUID.fromString(id);
        QuarkusTransaction.requiringNew().run(() -> {
            RunEntity r = RunEntity.findById(runId);
            r.status = RunStatus.RUNNING;
            r.startedAt = OffsetDateTime.now().minusSeconds(30);
            r.iteration = 2;
            r.devAccuracy = 0.7;
            r.bestDevAccuracy = 0.7;
            r.bestP2 = "prompt after iteration 2";
            r.bestP1 = "";
            r.tokensUsed = 300;
            r.tokensSent = 200L;
            r.leaseOwner = "trainer-1";
            r.leaseUntil = OffsetDateTime.now().plusMinutes(5);
        });
        Fixtures.iteration(runId, 1, 0.6);
        Fixtures.iteration(runId, 2, 0.7);
        Api.as(key).get("/api/runs/" + id).then().statusCode(200).body("status", is("RUNNING")).body("iteration", is(2))
                .body("iterations", is(3)).body("devAccuracy", is(0.7f)).body("bestPrompts.p2", is("prompt after iteration 2"))
                .body("tokensUsed", is(300)).body("tokensSent", is(200)).body("tokensSavedByCache", is(100))
                .body("elapsedSeconds", org.hamcrest.Matchers.greaterThan(29f));
        Api.as(key).get("/api/runs/" + id + "/iterations").then().statusCode(200).body("", hasSize(2))
                .body("iteration", hasItems(1, 2)).body("[1].devAccuracy", is(0.7f)).body("[0].candidates", nullValue());
        Api.as(key).queryParam("candidates", true).get("/api/runs/" + id + "/iterations").then()
                .body("[0].candidates.p2[0].prompt", is("prompt after iteration 1"));

        // a running run held by a trainer: the cancel is a request the trainer acts on
        Api.as(key).post("/api/runs/" + id + "/cancel").then().statusCode(202).body("status", is("RUNNING"))
                .body("cancelRequested", is(true));
    }

    @Test
    void listsWithFiltersAndPages() {
        String a = Fixtures.run(key, dataset, "list-a");
        String b = Fixtures.run(key, dataset, "list-b");
        Api.as(key).post("/api/runs/" + b + "/cancel").then().statusCode(202);
        Api.as(key).queryParam("modelName", "list-a").get("/api/runs").then().statusCode(200)
                .body("items.id", hasItem(a)).body("items.modelName", everyItem(is("list-a"))).body("items[0].settings", nullValue());
        Api.as(key).queryParam("status", "CANCELLED").get("/api/runs").then().body("items.id", hasItem(b))
                .body("items.status", everyItem(is("CANCELLED")));
        Api.as(key).queryParam("datasetId", dataset).queryParam("size", 1).get("/api/runs").then()
                .body("items", hasSize(1)).body("total", greaterThanOrEqualTo(2));
        Api.as(key).queryParam("status", "SLEEPING").get("/api/runs").then().statusCode(400).body("error.fields.field", hasItem("status"));
        Api.as(key).queryParam("size", 0).get("/api/runs").then().statusCode(400).body("error.fields.field", hasItem("size"));
    }

    @Test
    void cancelAndResumeFollowTheRunsState() {
        String id = Fixtures.run(key, dataset, "lifecycle");
        Api.as(key).post("/api/runs/" + id + "/resume").then().statusCode(409).body("error.code", is("run_not_resumable"));
        Api.as(key).post("/api/runs/" + id + "/cancel").then().statusCode(202).body("status", is("CANCELLED"))
                .body("finishedAt", notNullValue());
        Api.as(key).post("/api/runs/" + id + "/cancel").then().statusCode(409).body("error.code", is("run_ended"));
        Api.json(key).body(Map.of("tokenBudget", 99999)).post("/api/runs/" + id + "/resume").then().statusCode(202)
                .body("status", is("QUEUED")).body("cancelRequested", is(false)).body("tokenBudget", is(99999));

        QuarkusTransaction.requiringNew().run(() -> {
            RunEntity r = RunEntity.findById(UUID.fromString(id));
            r.status = RunStatus.FAILED;
            r.error = "backend said no";
        });
        Api.as(key).get("/api/runs/" + id).then().body("error", is("backend said no"));
        Api.as(key).post("/api/runs/" + id + "/resume").then().statusCode(202).body("status", is("QUEUED")).body("error", nullValue());

        QuarkusTransaction.requiringNew().run(() -> RunEntity.<RunEntity>findById(UUID.fromString(id)).status = RunStatus.SUCCEEDED);
        Api.as(key).post("/api/runs/" + id + "/cancel").then().statusCode(409);
        Api.as(key).post("/api/runs/" + id + "/resume").then().statusCode(409);
        Api.as(key).post("/api/runs/" + UUID.randomUUID() + "/cancel").then().statusCode(404);
    }

    @Test
    void refusesInvalidSettingsWithAMessagePerField() {
        Api.json(key).body(Map.of("datasetId", dataset, "modelName", "bad", "backend", "simulator",
                        "settings", Map.of("iterations", -1, "batchSize", 0, "posteriorTemperature", 0, "forwardTemperature", 3,
                                "forwardTemplate", "no-such-template", "loss", "hinge")))
                .post("/api/runs").then().statusCode(400).contentType(ContentType.JSON)
                .body("error.code", is("invalid_request"))
                .body("error.fields.field", hasItems("settings.iterations", "settings.batchSize", "settings.posteriorTemperature",
                        "settings.forwardTemperature", "settings.forwardTemplate", "settings.loss"))
                .body("error.fields.find { it.field == 'settings.iterations' }.message", is("iterations must be within [0, 1000], was -1"));

        Api.json(key).body(Map.of("datasetId", dataset, "modelName", "bad", "backend", "simulator",
                        "settings", Map.of("iterations", "many", "noSuchKnob", 1, "hSamples", 1.5)))
                .post("/api/runs").then().statusCode(400)
                .body("error.fields.field", hasItems("settings.iterations", "settings.noSuchKnob", "settings.hSamples"))
                .body("error.fields.find { it.field == 'settings.noSuchKnob' }.message", is("unknown setting"));

        Api.json(key).body(Map.of("datasetId", dataset, "modelName", "bad", "forwardBackend", "gpt-99", "backend", "simulator"))
                .post("/api/runs").then().statusCode(400).body("error.fields.field", hasItem("forwardBackend"))
                .body("error.fields[0].message", containsString("unknown backend 'gpt-99'"));
        Api.json(key).body(Map.of("datasetId", dataset, "modelName", "bad")).post("/api/runs").then().statusCode(400)
                .body("error.fields.field", hasItems("forwardBackend", "backwardBackend", "scoringBackend"));

        Api.json(key).body(Map.of("datasetId", dataset, "modelName", "bad", "layers", 2, "backend", "plain"))
                .post("/api/runs").then().statusCode(400).body("error.fields.field", hasItem("scoringBackend"))
                .body("error.fields.message", hasItem(containsString("top-k log-probabilities")))
                .body("error.fields.message", hasItem(containsString("DLN-2")));

        Api.json(key).body(Map.of("datasetId", dataset, "modelName", "bad name!", "layers", 3, "tokenBudget", -5, "backend", "simulator"))
                .post("/api/runs").then().statusCode(400).body("error.fields.field", hasItems("modelName", "layers", "tokenBudget"));
        Api.json(key).body(Map.of("datasetId", dataset, "modelName", "m", "layers", 2, "backend", "simulator", "settings", Map.of("layers", 1)))
                .post("/api/runs").then().statusCode(400).body("error.fields.field", hasItem("layers"));
        Api.json(key).body("{not json").post("/api/runs").then().statusCode(400).body("error.code", is("invalid_request"));
        Api.json(key).body(Map.of("modelName", "m", "backend", "simulator")).post("/api/runs").then().statusCode(400)
                .body("error.fields.field", hasItem("datasetId"));
        Api.json(key).body(Map.of("datasetId", UUID.randomUUID().toString(), "modelName", "m", "backend", "simulator"))
                .post("/api/runs").then().statusCode(404).body("error.code", is("not_found"));
        Api.json(key).body(List.of(1, 2)).post("/api/runs").then().statusCode(400);
    }

    @Test
    void refusesSettingsOutsideTheirRangesNonFiniteNumbersAndStepsTooLargeToRun() {
        Api.json(key).body(Map.of("datasetId", dataset, "modelName", "huge", "backend", "simulator",
                        "settings", Map.of("iterations", 2147483647, "batchSize", 2147483647, "hSamples", 100000, "pSamples", 100000,
                                "p2MaxTokens", 2147483647, "fewShots", 1000000, "memorySize", 1000000)))
                .post("/api/runs").then().statusCode(400).contentType(ContentType.JSON)
                .body("error.fields.field", hasItems("settings.iterations", "settings.batchSize", "settings.hSamples",
                        "settings.pSamples", "settings.p2MaxTokens", "settings.fewShots", "settings.memorySize"))
                .body("error.fields.find { it.field == 'settings.pSamples' }.message", is("pSamples must be within [1, 64], was 100000"));

        Api.json(key).body("{\"datasetId\": \"" + dataset + "\", \"modelName\": \"nan\", \"backend\": \"simulator\","
                        + " \"settings\": {\"posteriorTemperature\": \"NaN\", \"trustFactor\": \"Infinity\", \"forwardTemperature\": \"-Infinity\"}}")
                .post("/api/runs").then().statusCode(400)
                .body("error.fields.field", hasItems("settings.posteriorTemperature", "settings.trustFactor", "settings.forwardTemperature"))
                .body("error.fields.find { it.field == 'settings.trustFactor' }.message", containsString("finite"));

        // each setting within its range, but together a DLN-2 step of (64 + 20) candidates x 64 samples x 2 layers per
        // example, each prompt up to 8192 tokens: far above the ceilings
        Api.json(key).body(Map.of("datasetId", dataset, "modelName", "costly", "backend", "simulator",
                        "settings", Map.of("layers", 2, "batchSize", 200, "hSamples", 64, "pSamples", 64, "memorySize", 20,
                                "backwardMaxTokens", 4096, "p1MaxTokens", 4096)))
                .post("/api/runs").then().statusCode(400)
                .body("error.fields.field", hasItems("settings.batchSize", "settings.hSamples", "settings.pSamples", "settings.memorySize"))
                .body("error.fields.find { it.field == 'settings.hSamples' }.message", containsString("allowed here"));
    }

    @Test
    void aPresetGivesThePapersHyperparametersAndTheRequestsOwnFieldsWin() {
        Api.json(key).body(Map.of("datasetId", dataset, "modelName", "preset", "backend", "simulator",
                        "settings", Map.of("preset", "paper-dln2:leopard", "iterations", 3)))
                .post("/api/runs").then().statusCode(201)
                .body("settings.layers", is(2)).body("settings.pSamples", is(20)).body("settings.hSamples", is(5))
                .body("settings.trustFactor", is(5.0f)).body("settings.rewriteLossOnly", is(true))
                .body("settings.patienceRule", is("RELOAD_BEST")).body("settings.iterations", is(3));

        Api.json(key).body(Map.of("datasetId", dataset, "modelName", "preset", "backend", "simulator",
                        "settings", Map.of("preset", "paper-dln9")))
                .post("/api/runs").then().statusCode(400)
                .body("error.fields.field", hasItem("settings.preset"))
                .body("error.fields[0].message", containsString("unknown preset 'paper-dln9'; presets: paper-dln1, paper-dln2"));
    }
}
