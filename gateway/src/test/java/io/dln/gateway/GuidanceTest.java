package io.dln.gateway;

import io.dln.gateway.support.Api;
import io.dln.gateway.support.Fixtures;
import io.dln.gateway.support.GatewayTestResources;
import io.dln.store.GuidanceEntity;
import io.dln.store.RunEntity;
import io.dln.store.RunStatus;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Guided search through the API: what is recorded, by whom, when it is refused, and where the trace shows it applied. */
@QuarkusTest
@WithTestResource(value = GatewayTestResources.class, scope = TestResourceScope.GLOBAL)
class GuidanceTest {

    private final String tenant = Api.tenant("guide");
    private String key;
    private String dataset;

    @BeforeEach
    void data() {
        key = Api.key(tenant, "trainer");
        dataset = Fixtures.dataset(key, "guide-data");
    }

    private String pausedRun(int layers) {
        String id = Api.json(key).body(Map.of("datasetId", dataset, "modelName", "guided", "backend", "simulator", "layers", layers,
                "settings", Map.of("iterations", 3))).post("/api/runs").then().statusCode(201).extract().path("id");
        Api.as(key).post("/api/runs/" + id + "/pause").then().statusCode(202).body("status", is("PAUSED"));
        return id;
    }

    private static Map<String, Object> action(String action, Integer layer, String prompt, String text) {
        Map<String, Object> body = new HashMap<>();
        body.put("action", action);
        if (layer != null) body.put("layer", layer);
        if (prompt != null) body.put("prompt", prompt);
        if (text != null) body.put("text", text);
        return body;
    }

    @Test
    void recordsEachActionWithItsAuthorAndListsThemOldestFirst() {
        String run = pausedRun(2);

        Api.json(key).body(action("pin", 2, "Answer with the parity of the sum.", null)).post("/api/runs/" + run + "/guidance").then()
                .statusCode(201).body("id", notNullValue()).body("runId", is(run)).body("action", is("pin")).body("layer", is(2))
                .body("prompt", is("Answer with the parity of the sum.")).body("text", nullValue()).body("author", is("trainer-key"))
                .body("createdAt", notNullValue()).body("appliedAtIteration", nullValue());
        Api.json(key).body(action("reject", 1, "Guess.", null)).post("/api/runs/" + run + "/guidance").then().statusCode(201);
        Api.json(key).body(action("edit", 1, "Add the numbers, then say odd or even.", null)).post("/api/runs/" + run + "/guidance").then()
                .statusCode(201);
        Api.json(key).body(action("FEEDBACK", 2, null, "Say what to do with the sum.")).post("/api/runs/" + run + "/guidance").then()
                .statusCode(201).body("action", is("feedback")).body("text", is("Say what to do with the sum.")).body("prompt", nullValue());
        Api.json(key).body(action("feedback", 2, null, "")).post("/api/runs/" + run + "/guidance").then().statusCode(201)
                .body("text", is(""));

        Api.as(key).get("/api/runs/" + run + "/guidance").then().statusCode(200).body("items", hasSize(5))
                .body("items.action", contains("pin", "reject", "edit", "feedback", "feedback"))
                .body("items.layer", contains(2, 1, 1, 2, 2));
        RunEntity row = QuarkusTransaction.requiringNew().call(() -> RunEntity.findById(UUID.fromString(run)));
        assertTrue(row.guidancePending, "the trainer learns of it from the run row");
    }

    @Test
    void refusesWhatIsWrongFieldByField() {
        String dln1 = pausedRun(1);
        String path = "/api/runs/" + dln1 + "/guidance";
        Api.json(key).body(action("shout", 2, "x", null)).post(path).then().statusCode(400).body("error.fields.field", hasItem("action"));
        Api.json(key).body(action("pin", null, "x", null)).post(path).then().statusCode(400).body("error.fields.field", hasItem("layer"));
        Api.json(key).body(action("pin", 3, "x", null)).post(path).then().statusCode(400).body("error.fields.field", hasItem("layer"));
        Api.json(key).body(action("pin", 1, "x", null)).post(path).then().statusCode(400)
                .body("error.fields[0].message", containsString("DLN-1 run has one layer"));
        Api.json(key).body(action("pin", 2, " ", null)).post(path).then().statusCode(400).body("error.fields.field", hasItem("prompt"));
        Api.json(key).body(action("reject", 2, "x", "why")).post(path).then().statusCode(400).body("error.fields.field", hasItem("text"));
        Api.json(key).body(action("feedback", 2, "x", null)).post(path).then().statusCode(400)
                .body("error.fields.field", hasItems("prompt", "text"));
        Api.json(key).body(action("edit", 2, "y".repeat(10_001), null)).post(path).then().statusCode(400)
                .body("error.fields[0].message", containsString("at most 10000 characters"));
        Api.json(key).body(action("feedback", 2, null, "z".repeat(2_001))).post(path).then().statusCode(400);
        Api.json(key).body(action("pin", 2, "nul \u0000 inside", null)).post(path).then().statusCode(400)
                .body("error.fields[0].message", containsString("NUL"));
        Api.json(key).body("{\"action\": \"pin\", \"layer\": \"two\", \"prompt\": \"x\"}").post(path).then().statusCode(400);
        Api.json(key).body("{not json").post(path).then().statusCode(400);
        Api.as(key).get(path).then().body("items", hasSize(0));
    }

    @Test
    void onlyARunThatWaitsForAPersonTakesGuidance() {
        String running = Fixtures.run(key, dataset, "unguided");
        PauseResumeTest.hold(running);
        Api.json(key).body(action("pin", 2, "x", null)).post("/api/runs/" + running + "/guidance").then().statusCode(409)
                .body("error.code", is("run_not_guidable")).body("error.message", containsString("pause it first"));
        Api.as(key).post("/api/runs/" + running + "/pause").then().statusCode(202).body("status", is("RUNNING"));
        Api.json(key).body(action("pin", 2, "x", null)).post("/api/runs/" + running + "/guidance").then().statusCode(201);

        String guided = Api.json(key).body(Map.of("datasetId", dataset, "modelName", "g", "backend", "simulator", "guided", true))
                .post("/api/runs").then().statusCode(201).extract().path("id");
        Api.json(key).body(action("feedback", 2, null, "Be brief.")).post("/api/runs/" + guided + "/guidance").then().statusCode(201);

        Api.as(key).post("/api/runs/" + guided + "/cancel").then().statusCode(202);
        Api.json(key).body(action("pin", 2, "x", null)).post("/api/runs/" + guided + "/guidance").then().statusCode(409)
                .body("error.message", containsString("CANCELLED"));

        Api.json(key).body(action("pin", 2, "x", null)).post("/api/runs/" + UUID.randomUUID() + "/guidance").then().statusCode(404);
        String stranger = Api.key(Api.tenant("guide-other"), "admin");
        Api.json(stranger).body(action("pin", 2, "x", null)).post("/api/runs/" + running + "/guidance").then().statusCode(404);
        Api.as(stranger).get("/api/runs/" + running + "/guidance").then().statusCode(404);
        Api.json(Api.key(tenant, "inference")).body(action("pin", 2, "x", null)).post("/api/runs/" + running + "/guidance").then()
                .statusCode(403);
    }

    @Test
    void theTraceOfAnIterationShowsTheGuidanceAppliedAtItsStart() {
        String run = pausedRun(2);
        String pin = Api.json(key).body(action("pin", 2, "prompt after iteration 0", null)).post("/api/runs/" + run + "/guidance")
                .then().statusCode(201).extract().path("id");
        Api.json(key).body(action("feedback", 1, null, "Count.")).post("/api/runs/" + run + "/guidance").then().statusCode(201);
        UUID runId = UUID.fromString(run);
        Fixtures.tracedIteration(runId, 1, "prompt after iteration 0", "next");
        QuarkusTransaction.requiringNew().run(() -> GuidanceEntity.<GuidanceEntity>findById(UUID.fromString(pin)).appliedAtIteration = 1);

        Api.as(key).get("/api/runs/" + run + "/iterations/1/trace").then().statusCode(200)
                .body("guidance", hasSize(1)).body("guidance[0].id", is(pin)).body("guidance[0].appliedAtIteration", is(1))
                .body("guidance[0].author", is("trainer-key"));
        Api.as(key).get("/api/runs/" + run + "/guidance").then().body("items.appliedAtIteration", contains(1, null));
        assertEquals(RunStatus.PAUSED, QuarkusTransaction.requiringNew().call(() -> RunEntity.<RunEntity>findById(runId).status));
    }
}
