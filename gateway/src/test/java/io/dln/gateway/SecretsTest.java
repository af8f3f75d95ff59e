package io.dln.gateway;

import io.dln.gateway.support.Api;
import io.dln.gateway.support.Fixtures;
import io.dln.gateway.support.GatewayTestResources;
import io.dln.gateway.support.LogCapture;
import io.dln.store.ModelEntity;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.filter.Filter;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Backend keys (and the gateway's own keys) appear in no response, no log line and no stored row, also when a
 * backend refuses its key.
 */
@QuarkusTest
@WithTestResource(value = GatewayTestResources.class, scope = TestResourceScope.GLOBAL)
class SecretsTest {

    private static final List<String> TABLES = List.of("datasets", "dataset_examples", "runs", "run_iterations",
            "run_checkpoints", "models", "model_aliases", "api_keys");

    @Test
    void noSecretInResponsesLogsOrRows() throws Exception {
        String tenant = Api.tenant("secrets");
        List<String> seen = new ArrayList<>();
        Filter recorder = (request, response, ctx) -> {
            Response r = ctx.next(request, response);
            seen.add(r.getStatusLine() + "\n" + r.getHeaders() + "\n" + r.asString());
            return r;
        };
        RestAssured.filters(recorder);
        String admin;
        try {
            admin = Api.key(tenant, "admin");
            String trainer = Api.json(admin).body(Map.of("name", "t", "role", "trainer")).post("/api/admin/keys").path("key");
            String dataset = Fixtures.dataset(trainer, "secret-data");
            String run = Fixtures.run(trainer, dataset, "secret-model");
            Api.as(trainer).get("/api/runs/" + run).then().statusCode(200);
            Api.as(trainer).get("/api/runs").then().statusCode(200);

            Fixtures.model(tenant, "answers", 1, 2, List.of("yes|Yes", "no|No"), "Think.", "Answer yes or no.");
            Api.json(trainer).body(Map.of("inputs", List.of("Is it?"), "returnHidden", true, "returnClassProbabilities", true))
                    .post("/api/models/answers/predict").then().statusCode(200);
            Api.json(trainer).body(Map.of("model", "dln/answers", "stream", true,
                    "messages", List.of(Map.of("role", "user", "content", "Is it?")))).post("/v1/chat/completions").then().statusCode(200);
            Api.as(trainer).get("/api/models/answers/versions/1").then().statusCode(200);
            Api.as(trainer).get("/api/models/answers/versions/1/export").then().statusCode(200);

            // a backend that refuses its (wrong) key: the failure is reported without the key
            ModelEntity refused = Fixtures.model(tenant, "refused", 1, 1, null, "", "Say hi.");
            QuarkusTransaction.requiringNew().run(() -> ModelEntity.<ModelEntity>findById(refused.id).forwardBackend = "sim-wrong-key");
            Api.json(trainer).body(Map.of("inputs", List.of("hi"))).post("/api/models/refused/predict").then().statusCode(502)
                    .body("error.code", is("backend_error")).body("error.message", containsString("401"));
            Api.json(trainer).body(Map.of("model", "dln/refused", "messages", List.of(Map.of("role", "user", "content", "hi"))))
                    .post("/v1/chat/completions").then().statusCode(502).body("error.type", is("api_error"));

            given().get("/q/health").then().statusCode(200);
            given().get("/q/health/group/backends").then().statusCode(org.hamcrest.Matchers.anyOf(is(200), is(503)));
            given().get("/q/metrics").then().statusCode(200);
            given().get("/q/openapi").then().statusCode(200);
            Api.as(admin).get("/api/admin/keys").then().statusCode(200);
        } finally {
            RestAssured.replaceFiltersWith(List.of());
        }

        List<String> secrets = List.of(GatewayTestResources.backendKey(), GatewayTestResources.wrongBackendKey(), Api.BOOTSTRAP_KEY);
        for (String secret : secrets) {
            assertTrue(secret != null && secret.length() > 10);
            for (String response : seen) assertFalse(response.contains(secret), "a response holds a secret:\n" + response);
            assertFalse(LogCapture.text().contains(secret), "the captured log holds a secret");
            assertFalse(Files.readString(Path.of("target/gateway-test.log")).contains(secret), "the log file holds a secret");
            for (String table : TABLES) {
                long rows = QuarkusTransaction.requiringNew().call(() -> ((Number) ModelEntity.getEntityManager()
                        .createNativeQuery("SELECT count(*) FROM " + table + " t WHERE t::text LIKE ?1")
                        .setParameter(1, "%" + secret + "%").getSingleResult()).longValue());
                assertEquals(0, rows, "table " + table + " holds a secret");
            }
        }
        // the keys the gateway made were shown once, at creation, and logged by prefix only
        String log = Files.readString(Path.of("target/gateway-test.log"));
        assertTrue(log.contains("created by"), "key creations are logged");
        String createdKey = seen.stream().filter(s -> s.contains("\"key\":\"dln_")).findFirst().orElseThrow()
                .replaceAll("(?s).*\"key\":\"(dln_[^\"]+)\".*", "$1");
        assertFalse(log.contains(createdKey));
        assertFalse(LogCapture.text().contains(createdKey));
        assertTrue(LogCapture.text().length() > 0);
        given().contentType(ContentType.JSON).get("/api/me").then().statusCode(401);
    }
}
