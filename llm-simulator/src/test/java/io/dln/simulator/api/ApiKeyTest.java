package io.dln.simulator.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(ApiKeyTest.WithKey.class)
class ApiKeyTest {

    public static class WithKey implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("simulator.api-key", "sim-secret");
        }
    }

    @Test
    void bearerKeyIsChecked() {
        String body = "{\"prompt\":\"hi\",\"max_tokens\":2}";
        given().contentType("application/json").body(body).post("/v1/completions").then().statusCode(401)
                .body("error.code", equalTo("invalid_api_key")).body("error.type", equalTo("invalid_request_error"));
        given().contentType("application/json").header("Authorization", "Bearer nope").body(body).post("/v1/completions")
                .then().statusCode(401);
        given().header("Authorization", "Bearer sim-secret").get("/v1/models").then().statusCode(200);
        given().get("/v1/models").then().statusCode(401).body("error.code", equalTo("invalid_api_key"));
        given().contentType("application/json").header("Authorization", "Bearer nope")
                .body("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").post("/v1/chat/completions")
                .then().statusCode(401);
        given().contentType("application/json").header("Authorization", "Bearer sim-secret").body(body)
                .post("/v1/completions").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200);
    }
}
