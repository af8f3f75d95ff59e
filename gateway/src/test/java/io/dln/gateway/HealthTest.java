package io.dln.gateway;

import io.dln.gateway.support.GatewayTestResources;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;

@QuarkusTest
@WithTestResource(value = GatewayTestResources.class, scope = TestResourceScope.GLOBAL)
class HealthTest {

    /** Readiness is what inference needs (the database, for keys and models); Kafka has a group of its own. */
    @Test
    void readinessCoversTheDatabaseAndKafkaHasItsOwnGroup() {
        given().when().get("/q/health/ready").then().statusCode(200).body("status", is("UP"))
                .body("checks.name", hasItems("Database connections health check"))
                .body("checks.name", org.hamcrest.Matchers.not(hasItems("Kafka cluster")))
                .body("checks.name", org.hamcrest.Matchers.not(hasItems("run events feed")));
        given().when().get("/q/health/group/run-events").then().statusCode(200).body("status", is("UP"))
                .body("checks.name", hasItems("Kafka cluster", "run events feed"));
        given().when().get("/q/health/live").then().statusCode(200);
        // the backends have their own group, outside readiness: 'plain' is unreachable once a test has probed it
        given().when().get("/q/health/group/backends").then().statusCode(org.hamcrest.Matchers.anyOf(is(200), is(503)))
                .body("checks.name", hasItems("LLM backends")).body("checks[0].data.simulator", org.hamcrest.Matchers.startsWith("ok"));
    }

    @Test
    void servesMetricsOpenApiAndSwaggerUi() {
        given().when().get("/q/metrics").then().statusCode(200);
        given().accept("application/json").when().get("/q/openapi").then().statusCode(200)
                .body("paths", org.hamcrest.Matchers.hasKey("/api/models/{name}/predict"))
                .body("paths", org.hamcrest.Matchers.hasKey("/v1/chat/completions"))
                .body("components.securitySchemes", org.hamcrest.Matchers.hasKey("apiKey"));
        given().when().get("/q/swagger-ui/").then().statusCode(200).body(containsString("swagger"));
    }
}
