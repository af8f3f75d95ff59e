package io.dln.gateway;

import io.dln.gateway.support.Api;
import io.dln.gateway.support.Fixtures;
import io.dln.gateway.support.GatewayTestResources;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasItem;

/** A key of tenant A, even an admin's, finds nothing of tenant B: every object of B is 404 to it. */
@QuarkusTest
@WithTestResource(value = GatewayTestResources.class, scope = TestResourceScope.GLOBAL)
class TenantIsolationTest {

    private final String tenantA = Api.tenant("tenant-a");
    private final String tenantB = Api.tenant("tenant-b");
    private String keyA;
    private String keyB;
    private String datasetB;
    private String runB;
    private String keyIdB;

    @BeforeEach
    void twoTenants() {
        keyA = Api.key(tenantA, "admin");
        keyB = Api.key(tenantB, "trainer");
        keyIdB = Api.operator().contentType(ContentType.JSON).body(Map.of("name", "b-extra", "role", "inference", "tenant", tenantB))
                .post("/api/admin/keys").path("details.id");
        datasetB = Fixtures.dataset(keyB, "b-data");
        runB = Fixtures.run(keyB, datasetB, "b-model");
        Fixtures.iteration(UUID.fromString(runB), 1, 0.5);
        Fixtures.model(tenantB, "shared-name", 1, 1, List.of("yes|Yes", "no|No"), "", "B's first prompt");
        Fixtures.model(tenantB, "shared-name", 2, 1, List.of("yes|Yes", "no|No"), "", "B's second prompt");
        Fixtures.model(tenantB, "b-only", 1, 1, List.of("yes|Yes", "no|No"), "", "B's prompt");
        Api.json(keyB).body(Map.of("version", 1)).put("/api/models/b-only/aliases/prod").then().statusCode(200);
        Fixtures.model(tenantA, "shared-name", 1, 1, List.of("yes|Yes", "no|No"), "", "A's prompt");
    }

    @Test
    void everyObjectOfAnotherTenantIs404() {
        Map<String, Function<RequestSpecification, io.restassured.response.Response>> calls = new java.util.LinkedHashMap<>();
        calls.put("show data set", r -> r.get("/api/datasets/" + datasetB));
        calls.put("delete data set", r -> r.delete("/api/datasets/" + datasetB));
        calls.put("show run", r -> r.get("/api/runs/" + runB));
        calls.put("run history", r -> r.get("/api/runs/" + runB + "/iterations"));
        calls.put("run events", r -> r.accept("text/event-stream").get("/api/runs/" + runB + "/events"));
        calls.put("cancel run", r -> r.post("/api/runs/" + runB + "/cancel"));
        calls.put("resume run", r -> r.post("/api/runs/" + runB + "/resume"));
        calls.put("run on B's data", r -> r.contentType(ContentType.JSON)
                .body(Map.of("datasetId", datasetB, "modelName", "stolen", "backend", "simulator")).post("/api/runs"));
        calls.put("versions", r -> r.get("/api/models/b-only/versions"));
        calls.put("version", r -> r.get("/api/models/b-only/versions/1"));
        calls.put("export", r -> r.get("/api/models/b-only/versions/1/export"));
        calls.put("aliases", r -> r.get("/api/models/b-only/aliases"));
        calls.put("set alias", r -> r.contentType(ContentType.JSON).body(Map.of("version", 1)).put("/api/models/b-only/aliases/prod"));
        calls.put("delete alias", r -> r.delete("/api/models/b-only/aliases/prod"));
        calls.put("version of a shared name", r -> r.get("/api/models/shared-name/versions/2"));
        calls.put("predict", r -> r.contentType(ContentType.JSON).body(Map.of("inputs", List.of("x"))).post("/api/models/b-only/predict"));
        calls.put("chat", r -> r.contentType(ContentType.JSON).body(Map.of("model", "dln/b-only",
                "messages", List.of(Map.of("role", "user", "content", "x")))).post("/v1/chat/completions"));
        calls.put("openai model", r -> r.get("/v1/models/dln/b-only"));
        calls.put("revoke B's key", r -> r.delete("/api/admin/keys/" + keyIdB));
        calls.forEach((what, call) -> call.apply(Api.as(keyA)).then().statusCode(404).contentType(ContentType.JSON));

        // B's objects are as they were
        Api.as(keyB).get("/api/datasets/" + datasetB).then().statusCode(200);
        Api.as(keyB).get("/api/runs/" + runB).then().statusCode(200).body("status", is("QUEUED"));
        Api.as(keyB).get("/api/models/b-only/aliases").then().body("prod", is(1));
    }

    @Test
    void listsAndNameResolutionStayInTheTenant() {
        Api.as(keyA).get("/api/datasets").then().body("items.id", not(hasItem(datasetB)));
        Api.as(keyA).get("/api/runs").then().body("items.id", not(hasItem(runB)));
        Api.as(keyA).get("/api/models").then().body("name", not(hasItem("b-only")));
        Api.as(keyA).get("/v1/models").then().body("data.id", not(hasItem("dln/b-only")));
        Api.as(keyA).get("/api/admin/keys").then().body("tenant", everyItem(is(tenantA)));
        Api.as(keyA).get("/api/models/shared-name/versions").then().body("version", is(List.of(1)));
        Api.json(keyA).body(Map.of("inputs", List.of("x"))).post("/api/models/shared-name/predict").then().statusCode(200)
                .body("version", is(1));
    }
}
