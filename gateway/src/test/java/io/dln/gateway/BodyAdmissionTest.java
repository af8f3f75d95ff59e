package io.dln.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dln.gateway.support.Api;
import io.dln.gateway.support.Fixtures;
import io.dln.gateway.support.GatewayTestResources;
import io.dln.gateway.support.RawHttp;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bodies are read only for authenticated callers, within a gateway-wide budget and a time limit, on a gateway with a
 * small budget (200 KB), a short body timeout and few failed authentications allowed per address. Raw connections
 * send bodies slowly or never finish them.
 */
@QuarkusTest
@TestProfile(BodyAdmissionTest.TightLimits.class)
@WithTestResource(value = GatewayTestResources.class, scope = TestResourceScope.GLOBAL)
class BodyAdmissionTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static class TightLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("dln.gateway.limits.body-budget", "200K",
                    "dln.gateway.limits.body-timeout", "15s",
                    "dln.gateway.security.failed-authentication.per-second", "0.01",
                    "dln.gateway.security.failed-authentication.burst", "3");
        }
    }

    private final String tenant = Api.tenant("admission");

    @Test
    void aBodyWithoutValidCredentialsIsAnswered401UnreadAndItsConnectionClosed() throws Exception {
        try (RawHttp http = RawHttp.connect(RestAssured.port)) {
            http.head("POST", "/api/models/m/predict", Map.of("Content-Type", "application/json"), 60_000).body("{\"inputs\": [\"");
            RawHttp.Response response = http.response(3_000);
            assertEquals(401, response.status(), response.body());
            assertEquals("unauthenticated", JSON.readTree(response.body()).at("/error/code").asText(), response.body());
            assertNotNull(response.headers().get("x-request-id"));
            assertTrue(http.closedByServer(3_000), "the connection of an unread body is closed");
        }
        try (RawHttp http = RawHttp.connect("127.0.0.5", RestAssured.port)) {
            http.head("POST", "/v1/chat/completions", Map.of("Content-Type", "application/json", "Authorization", "Bearer dln_wrong"),
                    60_000).body("{");
            RawHttp.Response response = http.response(3_000);
            assertEquals(401, response.status(), response.body());
            assertEquals("authentication_error", JSON.readTree(response.body()).at("/error/type").asText(), response.body());
            assertTrue(http.closedByServer(3_000));
        }
    }

    @Test
    void bodiesInFlightShareOneBudgetAndAnAuthorisedCallerIsStillServed() throws Exception {
        String key = Api.key(tenant, "trainer");
        Fixtures.model(tenant, "budget", 1, 1, List.of("yes|Yes", "no|No"), "", "Answer yes or no.");
        Map<String, String> headers = Map.of("Content-Type", "application/json", "Authorization", "Bearer " + key);
        List<RawHttp> holding = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) { // 3 x 64,000 of the 204,800 bytes
                holding.add(RawHttp.connect(RestAssured.port).head("POST", "/api/models/budget/predict", headers, 64_000).body("{"));
            }
            awaitReserved(192_000);
            try (RawHttp refused = RawHttp.connect(RestAssured.port)) {
                RawHttp.Response response = refused.head("POST", "/api/models/budget/predict", headers, 20_000).body("{").response(10_000);
                assertEquals(503, response.status(), response.body());
                assertEquals("busy", JSON.readTree(response.body()).at("/error/code").asText());
                assertNotNull(response.headers().get("retry-after"));
            }
            // a body that fits is read and served meanwhile
            Api.json(key).body(Map.of("inputs", List.of("Is it?"))).post("/api/models/budget/predict").then().statusCode(200);
        } finally {
            for (RawHttp h : holding) h.close();
        }
        // their reservations are given back when their connections close
        String body = JSON.writeValueAsString(Map.of("inputs", List.of("x".repeat(19_000))));
        long deadline = System.nanoTime() + 10_000_000_000L;
        int status;
        do {
            status = Api.json(key).body(body).post("/api/models/budget/predict").statusCode();
        } while (status == 503 && System.nanoTime() < deadline);
        assertNotEquals(503, status);
    }

    @Test
    void aBodyThatDoesNotArriveInTimeIs408() throws Exception {
        String key = Api.key(tenant, "trainer");
        try (RawHttp http = RawHttp.connect(RestAssured.port)) {
            http.head("POST", "/api/runs", Map.of("Content-Type", "application/json", "Authorization", "Bearer " + key), 1_000)
                    .body("{\"modelName\": ");
            RawHttp.Response response = http.response(40_000);
            assertEquals(408, response.status(), response.body());
            assertEquals("body_timeout", JSON.readTree(response.body()).at("/error/code").asText());
            assertTrue(http.closedByServer(3_000));
        }
        Api.as(key).get("/api/me").then().statusCode(200);
    }

    @Test
    void failedAuthenticationsAreLimitedPerClientAddress() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertEquals(401, get("127.0.0.9", "/api/me", "dln_guess-" + UUID.randomUUID()).status());
        }
        RawHttp.Response refused = get("127.0.0.9", "/api/me", "dln_guess-" + UUID.randomUUID());
        assertEquals(429, refused.status(), refused.body());
        assertEquals("too_many_failed_authentications", JSON.readTree(refused.body()).at("/error/code").asText());
        assertNotNull(refused.headers().get("retry-after"));
        // a key the gateway knows still passes from that address; other addresses are not affected
        assertEquals(200, get("127.0.0.9", "/api/me", Api.BOOTSTRAP_KEY).status());
        Api.as(Api.key(tenant, "inference")).get("/api/me").then().statusCode(200);
        assertEquals(401, get("127.0.0.10", "/api/me", "dln_guess-" + UUID.randomUUID()).status());
    }

    @Test
    void everyResponseCarriesARequestId() throws Exception {
        String key = Api.key(tenant, "inference");
        String mine = "client-" + UUID.randomUUID();
        Api.as(key).header("x-request-id", mine).get("/api/me").then().statusCode(200).header("x-request-id", is(mine));
        String generated = Api.as(key).get("/api/me").then().statusCode(200).extract().header("x-request-id");
        assertEquals(36, generated.length(), generated);
        String replaced = Api.as(key).header("x-request-id", "bad id with spaces").get("/api/me").then().extract().header("x-request-id");
        assertNotEquals("bad id with spaces", replaced);
        RestAssured.given().get("/api/me").then().statusCode(401).header("x-request-id", notBlank());
        Api.as(key).get("/api/no-such-thing").then().statusCode(404).header("x-request-id", notBlank());
        RestAssured.given().get("/q/health/live").then().statusCode(200).header("x-request-id", notBlank());
    }

    /** Waits until the bodies in flight hold {@code bytes} (the gauge of the body budget). */
    private static void awaitReserved(long bytes) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (true) {
            String metrics = RestAssured.given().get("/q/metrics").asString();
            double reserved = metrics.lines().filter(l -> l.startsWith("dln_gateway_request_bodies_reserved_bytes "))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(-1);
            if (reserved >= bytes) return;
            if (System.nanoTime() > deadline) throw new AssertionError("the bodies hold " + reserved + " bytes, not " + bytes);
            Thread.sleep(100);
        }
    }

    private static org.hamcrest.Matcher<String> notBlank() {
        return org.hamcrest.Matchers.not(org.hamcrest.Matchers.blankOrNullString());
    }

    private static RawHttp.Response get(String from, String path, String key) throws Exception {
        try (RawHttp http = RawHttp.connect(from, RestAssured.port)) {
            return http.head("GET", path, Map.of("Authorization", "Bearer " + key), -1).response(5_000);
        }
    }
}
