package io.dln.gateway;

import io.dln.gateway.support.Api;
import io.dln.gateway.support.DatabaseProxyResource;
import io.dln.gateway.support.Fixtures;
import io.dln.gateway.support.GatewayTestResources;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;

/**
 * The database goes away (a proxy between the gateway and PostgreSQL is cut): every endpoint that needs it answers
 * 503 with the JSON error and Retry-After, not 500; readiness goes down, liveness stays up; inference on a model
 * and key the gateway already knows goes on; when the database is back, so is the gateway, without a restart.
 */
@QuarkusTest
@TestProfile(DatabaseOutageTest.ThroughAProxy.class)
@WithTestResource(value = GatewayTestResources.class, scope = TestResourceScope.GLOBAL)
class DatabaseOutageTest {

    public static class ThroughAProxy implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(DatabaseProxyResource.class));
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("dln.gateway.security.key-cache-ttl", "10m", "quarkus.datasource.jdbc.acquisition-timeout", "1S");
        }
    }

    @Test
    void anOutageIs503InJsonAndTheGatewayComesBackWithTheDatabase() throws Exception {
        String tenant = Api.tenant("outage");
        String key = Api.key(tenant, "trainer");
        Fixtures.model(tenant, "kept", 1, 1, List.of("yes|Yes", "no|No"), "", "Answer yes or no.");
        Api.as(key).get("/api/runs").then().statusCode(200);
        Api.json(key).body(Map.of("inputs", List.of("Is it?"))).post("/api/models/kept/predict").then().statusCode(200);

        DatabaseProxyResource.cut();
        try {
            Api.as(key).get("/api/runs").then().statusCode(503).contentType(ContentType.JSON)
                    .header("Retry-After", notNullValue()).body("error.code", is("database_unavailable"));
            Api.as(key).get("/api/datasets").then().statusCode(503).body("error.code", is("database_unavailable"));
            Api.json(key).body(Map.of("datasetId", java.util.UUID.randomUUID().toString(), "modelName", "m", "backend", "simulator"))
                    .post("/api/runs").then().statusCode(503).header("Retry-After", notNullValue());
            Api.as(key).get("/v1/models").then().statusCode(503).body("error.type", is("api_error"));
            Api.operator().get("/api/admin/keys").then().statusCode(503).body("error.code", is("database_unavailable"));
            // a key the gateway has not seen cannot be checked: 503, not 401
            Api.as("dln_never-seen-before-key").get("/api/runs").then().statusCode(503).contentType(ContentType.JSON)
                    .header("Retry-After", notNullValue()).body("error.code", is("keys_unavailable"));
            given().get("/q/health/ready").then().statusCode(503).body("status", is("DOWN"));
            given().get("/q/health/live").then().statusCode(200);
            // inference on what the gateway knows needs no database
            Api.json(key).body(Map.of("inputs", List.of("Is it?"), "version", 1)).post("/api/models/kept/predict")
                    .then().statusCode(200).body("outputs", org.hamcrest.Matchers.hasSize(1));
        } finally {
            DatabaseProxyResource.restore();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (Api.as(key).get("/api/runs").statusCode() != 200) {
            if (System.nanoTime() > deadline) throw new AssertionError("the gateway did not come back with its database");
            Thread.sleep(250);
        }
        given().get("/q/health/ready").then().statusCode(200);
    }
}
