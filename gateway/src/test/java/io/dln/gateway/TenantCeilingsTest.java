package io.dln.gateway;

import io.dln.gateway.support.Api;
import io.dln.gateway.support.Fixtures;
import io.dln.gateway.support.GatewayTestResources;
import io.dln.store.ModelEntity;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operator's ceilings (dln.gateway.tenants.&lt;tenant&gt;.*, set for the tenants gwt-capped-* in the test
 * profile) hold against what a tenant's own admin asks for: key rates, key count, runs in progress, request rate,
 * backends. Backend failures reach clients as stable messages without the backend's own text or address.
 */
@QuarkusTest
@WithTestResource(value = GatewayTestResources.class, scope = TestResourceScope.GLOBAL)
class TenantCeilingsTest {

    @Test
    void keysCannotExceedTheirTenantsCeilings() {
        String admin = Api.key("gwt-capped-keys", "admin");
        Api.json(admin).body(Map.of("name", "fast", "role", "trainer", "requestsPerSecond", 1_000_000)).post("/api/admin/keys")
                .then().statusCode(400).body("error.fields.field", hasItem("requestsPerSecond"))
                .body("error.fields[0].message", containsString("at most 5"));
        Api.json(admin).body(Map.of("name", "bursty", "role", "trainer", "burst", 11)).post("/api/admin/keys")
                .then().statusCode(400).body("error.fields.field", hasItem("burst")).body("error.fields[0].message", containsString("at most 10"));
        Api.json(admin).body(Map.of("name", "second", "role", "trainer", "requestsPerSecond", 5, "burst", 10)).post("/api/admin/keys")
                .then().statusCode(201);
        Api.json(admin).body(Map.of("name", "third", "role", "trainer")).post("/api/admin/keys")
                .then().statusCode(409).body("error.code", is("key_limit_reached")).body("error.message", containsString("2 active keys"));
        // not even the operator passes a tenant's ceiling
        Api.operator().contentType(ContentType.JSON).body(Map.of("name", "op", "role", "trainer", "tenant", "gwt-capped-keys"))
                .post("/api/admin/keys").then().statusCode(409);
    }

    @Test
    void runsInProgressCannotExceedTheCeiling() {
        String key = Api.key("gwt-capped-runs", "trainer");
        String dataset = Fixtures.dataset(key, "capped-" + java.util.UUID.randomUUID().toString().substring(0, 8));
        String first = Fixtures.run(key, dataset, "first");
        Api.json(key).body(Map.of("datasetId", dataset, "modelName", "second", "backend", "simulator")).post("/api/runs")
                .then().statusCode(429).body("error.code", is("too_many_runs")).header("Retry-After", notNullValue());
        Api.as(key).post("/api/runs/" + first + "/cancel").then().statusCode(202);
        String second = Fixtures.run(key, dataset, "second");
        Api.as(key).post("/api/runs/" + first + "/resume").then().statusCode(429);
        Api.as(key).post("/api/runs/" + second + "/cancel").then().statusCode(202);
        Api.as(key).post("/api/runs/" + first + "/resume").then().statusCode(202);
    }

    @Test
    void runsAreGrantedTokensOutOfTheTenantsDay() {
        String key = Api.key("gwt-capped-tokens", "trainer");
        String dataset = Fixtures.dataset(key, "tokens-" + java.util.UUID.randomUUID().toString().substring(0, 8));
        Api.json(key).body(Map.of("datasetId", dataset, "modelName", "big", "backend", "simulator", "tokenBudget", 1500))
                .post("/api/runs").then().statusCode(429).body("error.code", is("token_quota_exhausted"))
                .body("error.message", containsString("1000 of its 1000")).header("Retry-After", notNullValue());
        Api.json(key).body(Map.of("datasetId", dataset, "modelName", "part", "backend", "simulator", "tokenBudget", 600))
                .post("/api/runs").then().statusCode(201).body("tokenBudget", is(600));
        // without a budget, a run gets what is left of the day
        String rest = Api.json(key).body(Map.of("datasetId", dataset, "modelName", "rest", "backend", "simulator"))
                .post("/api/runs").then().statusCode(201).body("tokenBudget", is(400)).extract().path("id");
        Api.json(key).body(Map.of("datasetId", dataset, "modelName", "none", "backend", "simulator")).post("/api/runs")
                .then().statusCode(429).body("error.code", is("token_quota_exhausted"));
        Api.as(key).post("/api/runs/" + rest + "/cancel").then().statusCode(202);
        Api.as(key).post("/api/runs/" + rest + "/resume").then().statusCode(429);
    }

    @Test
    void inferenceStopsWhenTheTenantsTokensOfTheDayAreUsed() {
        String key = Api.key("gwt-capped-inference-tokens", "inference");
        Fixtures.model("gwt-capped-inference-tokens", "daily", 1, 1, List.of("yes|Yes", "no|No"), "", "Answer yes or no.");
        Api.json(key).body(Map.of("inputs", List.of("Is it?"))).post("/api/models/daily/predict").then().statusCode(200);
        Api.json(key).body(Map.of("inputs", List.of("Is it?"))).post("/api/models/daily/predict").then().statusCode(429)
                .body("error.code", is("token_quota_exhausted"));
        Api.json(key).body(Map.of("model", "dln/daily", "messages", List.of(Map.of("role", "user", "content", "hi"))))
                .post("/v1/chat/completions").then().statusCode(429).body("error.type", is("rate_limit_error"));
    }

    @Test
    void aTenantsCallersShareItsRate() {
        String one = Api.key("gwt-capped-rate", "inference");
        String two = Api.key("gwt-capped-rate", "inference");
        int refused = 0;
        for (int i = 0; i < 8; i++) {
            int status = Api.as(i % 2 == 0 ? one : two).get("/api/me").statusCode();
            if (status == 429) refused++;
        }
        assertTrue(refused >= 4, "the tenant's burst of 3 at 0.5/s was not enforced over two keys: " + refused + " refused");
        Api.as(one).get("/v1/models").then().statusCode(429).body("error.type", is("rate_limit_error"));
    }

    @Test
    void theOperatorRestrictsWhichBackendsATenantUses() {
        String key = Api.key("gwt-capped-backends", "trainer");
        String dataset = Fixtures.dataset(key, "backends-" + java.util.UUID.randomUUID().toString().substring(0, 8));
        Api.json(key).body(Map.of("datasetId", dataset, "modelName", "m", "backend", "plain")).post("/api/runs")
                .then().statusCode(400).body("error.fields.field", hasItem("backend"))
                .body("error.fields[0].message", containsString("not allowed")).body("error.fields[0].message", not(containsString("sim-wrong-key")));
        Api.json(key).body(Map.of("datasetId", dataset, "modelName", "m", "backend", "simulator", "scoringBackend", "sim-wrong-key"))
                .post("/api/runs").then().statusCode(400).body("error.fields.field", hasItem("scoringBackend"));
        Fixtures.model("gwt-capped-backends", "elsewhere", 1, 1, null, "", "Say hi.");
        QuarkusTransaction.requiringNew().run(() -> ModelEntity.update("forwardBackend = 'plain' where tenant = 'gwt-capped-backends' "
                + "and name = 'elsewhere'"));
        Api.json(key).body(Map.of("inputs", List.of("hi"))).post("/api/models/elsewhere/predict").then().statusCode(403)
                .body("error.code", is("backend_not_allowed"));
        Api.json(key).body(Map.of("model", "dln/elsewhere", "messages", List.of(Map.of("role", "user", "content", "hi"))))
                .post("/v1/chat/completions").then().statusCode(403).body("error.type", is("permission_error"));
        Fixtures.model("gwt-capped-backends", "exported", 1, 1, null, "", "Say hi.");
        String doc = Api.as(key).get("/api/models/exported/versions/1/export").asString();
        Api.json(key).body(doc.replace("\"forwardBackend\":\"simulator\"", "\"forwardBackend\":\"plain\"")).post("/api/models/import")
                .then().statusCode(400).body("error.fields.field", hasItem("forwardBackend"));
    }

    @Test
    void aBackendsOwnErrorTextAndAddressStayInTheLog() throws Exception {
        String tenant = Api.tenant("backend-errors");
        String key = Api.key(tenant, "trainer");
        ModelEntity refused = Fixtures.model(tenant, "refused", 1, 1, null, "", "Say hi.");
        QuarkusTransaction.requiringNew().run(() -> ModelEntity.<ModelEntity>findById(refused.id).forwardBackend = "sim-wrong-key");
        String body = Api.json(key).body(Map.of("inputs", List.of("hi"))).post("/api/models/refused/predict").then().statusCode(502)
                .body("error.message", containsString("refused the gateway's credentials (HTTP 401)")).extract().asString();
        assertTrue(!body.contains("127.0.0.1") && !body.contains("http://") && !body.contains("/v1"), body);
        Fixtures.model(tenant, "unreachable", 1, 1, null, "", "Say hi.");
        QuarkusTransaction.requiringNew().run(() -> ModelEntity.update("forwardBackend = 'plain' where tenant = ?1 and name = 'unreachable'", tenant));
        String unreachable = Api.json(key).body(Map.of("inputs", List.of("hi"))).post("/api/models/unreachable/predict").then()
                .statusCode(502).body("error.code", is("backend_unreachable")).extract().asString();
        assertTrue(!unreachable.contains("127.0.0.1:9") && !unreachable.contains("Connection refused"), unreachable);
        assertTrue(Files.readString(Path.of("target/gateway-test.log")).contains("inference on backend 'plain' failed"));
    }
}
