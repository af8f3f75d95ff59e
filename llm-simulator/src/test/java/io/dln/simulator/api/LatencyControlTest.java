package io.dln.simulator.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The time to first token, changed while the simulator runs ({@code /simulator/latency/ttft}). */
@QuarkusTest
class LatencyControlTest {

    private static final String BODY = "{\"prompt\":\"Say something.\",\"max_tokens\":2,\"temperature\":0}";

    @Test
    void aNewTimeToFirstTokenHoldsForTheNextRequests() {
        String configured = given().get("/simulator/latency/ttft").then().statusCode(200).extract().asString();
        try {
            given().contentType("text/plain").body("300").put("/simulator/latency/ttft").then().statusCode(200).body(equalTo("300"));
            assertTrue(millisOfOneCompletion() >= 290, "a completion answered before its 300 ms time to first token");
            given().contentType("text/plain").body("0").put("/simulator/latency/ttft").then().statusCode(200).body(equalTo("0"));
            given().get("/simulator/latency/ttft").then().body(equalTo("0"));
        } finally {
            given().contentType("text/plain").body(configured).put("/simulator/latency/ttft").then().statusCode(200);
        }
    }

    @Test
    void refusesWhatIsNotAWholeNumberOfMillisecondsInRange() {
        String configured = given().get("/simulator/latency/ttft").then().extract().asString();
        given().contentType("text/plain").body("soon").put("/simulator/latency/ttft").then().statusCode(400)
                .body("error.message", containsString("whole number of milliseconds"));
        given().contentType("text/plain").body("-5").put("/simulator/latency/ttft").then().statusCode(400)
                .body("error.message", containsString("between 0 and 10 minutes"));
        given().contentType("text/plain").body("600001").put("/simulator/latency/ttft").then().statusCode(400);
        given().get("/simulator/latency/ttft").then().body(equalTo(configured));
    }

    private static long millisOfOneCompletion() {
        long start = System.nanoTime();
        given().contentType("application/json").body(BODY).post("/v1/completions").then().statusCode(200);
        return (System.nanoTime() - start) / 1_000_000;
    }
}
