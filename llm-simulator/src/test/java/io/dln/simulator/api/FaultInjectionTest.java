package io.dln.simulator.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@QuarkusTest
class FaultInjectionTest {

    private static final String BODY = "{\"prompt\":\"Say something.\",\"max_tokens\":8,\"temperature\":0}";

    @TestHTTPResource("/v1/completions")
    URI completions;

    private static Response forced(String fault) {
        return given().contentType("application/json").header("X-Simulator-Fault", fault).body(BODY).post("/v1/completions");
    }

    @Test
    void rateLimitCarriesRetryAfter() {
        forced("429").then().statusCode(429)
                .header("Retry-After", "1")
                .body("error.type", equalTo("rate_limit_error"))
                .body("error.code", equalTo("rate_limit_exceeded"));
    }

    @Test
    void negativeRetryAfterSendsNoHeader() {
        given().contentType("text/plain").body("-1").put("/simulator/faults/retry-after").then().statusCode(200).body(equalTo("-1"));
        try {
            forced("429").then().statusCode(429).header("Retry-After", nullValue()).body("error.code", equalTo("rate_limit_exceeded"));
            forced("503").then().statusCode(503).header("Retry-After", nullValue());
            given().contentType("text/plain").body("0").put("/simulator/faults/retry-after").then().statusCode(200);
            forced("429").then().statusCode(429).header("Retry-After", "0");
            given().contentType("text/plain").body("soon").put("/simulator/faults/retry-after").then().statusCode(400);
        } finally {
            given().contentType("text/plain").body("1").put("/simulator/faults/retry-after").then().statusCode(200);
        }
    }

    @Test
    void serverErrorsInOpenAiShape() {
        forced("500").then().statusCode(500).body("error.type", equalTo("server_error"));
        forced("503").then().statusCode(503).header("Retry-After", "1").body("error.code", equalTo("overloaded"));
    }

    @Test
    void truncatedBodyIsCutOffJsonWith200() {
        String whole = given().contentType("application/json").body(BODY).post("/v1/completions").asString();
        Response r = forced("truncated");
        r.then().statusCode(200);
        String cut = r.asString();
        assertTrue(cut.length() < whole.length() && whole.startsWith(cut), cut);
        assertThrows(Exception.class, () -> Api.JSON.readTree(cut));
    }

    @Test
    void slowAnswersLater() {
        long start = System.nanoTime();
        forced("slow").then().statusCode(200);
        assertTrue(System.nanoTime() - start >= 290_000_000L);
    }

    @Test
    void hangOutlastsTheClientTimeout() {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(completions).timeout(Duration.ofMillis(500))
                .header("Content-Type", "application/json").header("X-Simulator-Fault", "hang")
                .POST(HttpRequest.BodyPublishers.ofString(BODY)).build();
        assertThrows(HttpTimeoutException.class, () -> client.send(request, java.net.http.HttpResponse.BodyHandlers.ofString()));
    }

    @Test
    void ratesHeaderDrawsDeterministicallyAndRetriesGetFreshDraws() {
        given().contentType("application/json").header("X-Simulator-Faults", "rate-429=1").body(BODY)
                .post("/v1/completions").then().statusCode(429);
        int failed = 0, recovered = 0;
        for (int i = 0; i < 40; i++) {
            String body = "{\"prompt\":\"Request " + i + "\",\"max_tokens\":2}";
            int attempts = 0;
            int status;
            do {
                status = given().contentType("application/json").header("X-Simulator-Faults", "rate-429=0.25,rate-500=0.25")
                        .body(body).post("/v1/completions").statusCode();
                attempts++;
            } while (status != 200 && attempts < 20);
            assertEquals(200, status, "retries of request " + i + " kept failing");
            if (attempts > 1) {
                failed++;
                recovered++;
            }
        }
        assertTrue(failed >= 8 && failed <= 35, "first attempts that failed: " + failed);
        assertEquals(failed, recovered);
    }

    @Test
    void badFaultHeadersAre400() {
        given().contentType("application/json").header("X-Simulator-Faults", "rate-429=2").body(BODY)
                .post("/v1/completions").then().statusCode(400).body("error.type", equalTo("invalid_request_error"));
        given().contentType("application/json").header("X-Simulator-Faults", "rate-teapot=0.1").body(BODY)
                .post("/v1/completions").then().statusCode(400);
        forced("teapot").then().statusCode(400);
        forced("none").then().statusCode(200);
    }
}
