package io.dln.gateway;

import io.dln.gateway.support.Api;
import io.dln.gateway.support.Fixtures;
import io.dln.gateway.support.GatewayTestResources;
import io.dln.testkit.FreePorts;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

/**
 * A gateway whose Kafka is away (its address is a port nobody listens on): it is ready and serves inference, data
 * sets and runs; only the group run-events says that Kafka is down.
 */
@QuarkusTest
@TestProfile(KafkaOutageTest.NoKafka.class)
@WithTestResource(value = GatewayTestResources.class, scope = TestResourceScope.GLOBAL)
class KafkaOutageTest {

    public static class NoKafka implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("kafka.bootstrap.servers", "127.0.0.1:" + FreePorts.next());
        }
    }

    @Test
    void readinessAndInferenceDoNotDependOnKafka() {
        given().get("/q/health/ready").then().statusCode(200).body("status", is("UP"));
        given().get("/q/health/group/run-events").then().statusCode(503).body("status", is("DOWN"))
                .body("checks.name", hasItem("Kafka cluster"));
        String tenant = Api.tenant("no-kafka");
        String key = Api.key(tenant, "trainer");
        Fixtures.model(tenant, "yesno", 1, 1, List.of("yes|Yes", "no|No"), "", "Answer yes or no.");
        Api.json(key).body(Map.of("inputs", List.of("Is it?"))).post("/api/models/yesno/predict").then().statusCode(200);
        String dataset = Fixtures.dataset(key, "no-kafka-data");
        // a run is queued in the database, where the trainers find it; its command on Kafka is best effort
        Fixtures.run(key, dataset, "queued-without-kafka");
        given().get("/q/health/ready").then().statusCode(200);
    }
}
