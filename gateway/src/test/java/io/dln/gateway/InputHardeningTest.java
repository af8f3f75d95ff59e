package io.dln.gateway;

import io.dln.gateway.support.Api;
import io.dln.gateway.support.Fixtures;
import io.dln.gateway.support.GatewayTestResources;
import io.dln.gateway.support.LogCapture;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * What callers send is checked before it is used or stored: non-finite numbers, text PostgreSQL cannot store,
 * scalars of the wrong kind, numbers out of range, query parameters that are not what they should be. Each is a 400
 * naming the field (with the line for uploads), in the gateway's shape on /api and OpenAI's on /v1.
 */
@QuarkusTest
@WithTestResource(value = GatewayTestResources.class, scope = TestResourceScope.GLOBAL)
class InputHardeningTest {

    private final String tenant = Api.tenant("hardening");
    private String key;
    private String dataset;

    @BeforeEach
    void data() {
        key = Api.key(tenant, "trainer");
        dataset = Fixtures.dataset(key, "hardening-data");
        Fixtures.model(tenant, "yesno", 1, 1, List.of("yes|Yes", "no|No"), "", "Answer yes or no.");
    }

    @Test
    void nonFiniteNumbersAreRefusedNamingTheField() {
        for (Object nan : List.of("NaN", "Infinity", "-Infinity")) {
            run(Map.of("trustFactor", nan)).then().statusCode(400).body("error.fields.field", hasItem("settings.trustFactor"));
        }
        for (String literal : List.of("NaN", "Infinity", "-Infinity")) {
            Api.json(key).body("{\"datasetId\": \"" + dataset + "\", \"modelName\": \"m\", \"backend\": \"simulator\", "
                            + "\"settings\": {\"posteriorTemperature\": " + literal + "}}").post("/api/runs")
                    .then().statusCode(400).body("error.fields.field", hasItem("settings.posteriorTemperature"));
        }
        String exported = Api.as(key).get("/api/models/yesno/versions/1/export").asString();
        Api.json(key).body(exported.replace("\"trustFactor\":0.0", "\"trustFactor\":\"NaN\"")).post("/api/models/import")
                .then().statusCode(400).body("error.fields.field", hasItem("settings.trustFactor"));
        Api.json(key).body(exported.replace("\"trustFactor\":0.0", "\"trustFactor\":Infinity")).post("/api/models/import")
                .then().statusCode(400).body("error.fields.field", hasItem("settings.trustFactor"));
        chat(Map.of("temperature", "NaN")).then().statusCode(400).body("error.param", is("temperature"))
                .body("error.type", is("invalid_request_error"));
    }

    @Test
    void textPostgresCannotStoreIsRefusedWithItsLineAndField() {
        upload("jsonl", "application/x-ndjson", "{\"input\": \"a\", \"target\": \"yes\"}\n{\"input\": \"b\\u0000c\", \"target\": \"no\"}\n")
                .then().statusCode(400).body("error.fields[0].line", is(2)).body("error.fields[0].field", is("input"))
                .body("error.fields[0].message", containsString("U+0000"));
        upload("jsonl-surrogate", "application/x-ndjson", "{\"input\": \"a\", \"target\": \"yes\\ud800\"}\n")
                .then().statusCode(400).body("error.fields[0].line", is(1)).body("error.fields[0].field", is("target"));
        upload("csv", "text/csv", "input,target\nfine,yes\n\"bad\u0000one\",no\n")
                .then().statusCode(400).body("error.fields[0].line", is(3)).body("error.fields[0].field", is("input"));
        upload("bbh", "application/json", "{\"examples\": [{\"input\": \"ok\", \"target\": \"yes\"}, {\"input\": \"x\", \"target\": \"n\\u0000o\"}]}")
                .then().statusCode(400).body("error.fields[0].field", is("examples[1].target"));
        Api.as(key).contentType("application/x-ndjson").body(Fixtures.yesNoLines(10).getBytes(StandardCharsets.UTF_8))
                .queryParam("name", "instr").queryParam("instruction", "Say\u0000it").post("/api/datasets")
                .then().statusCode(400).body("error.fields.field", hasItem("instruction"));
        run(Map.of("initP2", "start\u0000")).then().statusCode(400).body("error.fields.field", hasItem("settings.initP2"));
        Api.json(key).body(Map.of("inputs", List.of("fine", "bad\u0000"))).post("/api/models/yesno/predict")
                .then().statusCode(400).body("error.fields.field", hasItem("inputs[1]"));
        chat(Map.of("messages", List.of(Map.of("role", "user", "content", "hi\u0000")))).then().statusCode(400)
                .body("error.param", is("messages[0].content"));
        Api.json(Api.key(tenant, "admin")).body(Map.of("name", "k\u0000", "role", "trainer")).post("/api/admin/keys")
                .then().statusCode(400).body("error.fields.field", hasItem("name"));
        String exported = Api.as(key).get("/api/models/yesno/versions/1/export").asString();
        Api.json(key).body(exported.replace("Answer yes or no.", "Answer\\u0000")).post("/api/models/import")
                .then().statusCode(400).body("error.fields.field", hasItem("prompts.p2"));
        Api.json(key).body(exported.replace("\"metrics\":{", "\"metrics\":{\"note\":\"x\\u0000\",")).post("/api/models/import")
                .then().statusCode(400).body("error.fields.field", hasItem("metrics.note"));
        // the user's text is in no log line
        assertFalse(LogCapture.text().contains("bad\u0000one"));
        assertFalse(LogCapture.text().contains("b\u0000c"));
    }

    @Test
    void scalarsOfTheWrongKindAreNotCoerced() {
        Api.json(key).body("{\"inputs\": [\"x\"], \"version\": 1.5}").post("/api/models/yesno/predict").then().statusCode(400)
                .body("error.fields.field", hasItem("version"));
        Api.json(key).body("{\"inputs\": [\"x\"], \"version\": \"1\"}").post("/api/models/yesno/predict").then().statusCode(400)
                .body("error.fields.field", hasItem("version"));
        Api.json(key).body("{\"inputs\": [\"x\"], \"returnHidden\": 1}").post("/api/models/yesno/predict").then().statusCode(400)
                .body("error.fields.field", hasItem("returnHidden"));
        run(Map.of("iterations", "5")).then().statusCode(400).body("error.fields.field", hasItem("settings.iterations"));
    }

    @Test
    void chatRefusesWhatOpenAiRefuses() {
        chat(Map.of("n", 1.5)).then().statusCode(400).body("error.param", is("n")).body("error.type", is("invalid_request_error"));
        chat(Map.of("temperature", -5)).then().statusCode(400).body("error.param", is("temperature"));
        chat(Map.of("temperature", 2.5)).then().statusCode(400).body("error.param", is("temperature"));
        chat(Map.of("max_tokens", -1)).then().statusCode(400).body("error.param", is("max_tokens"));
        chat(Map.of("max_tokens", 0)).then().statusCode(400).body("error.param", is("max_tokens"));
        chat(Map.of("top_p", 1.5)).then().statusCode(400).body("error.param", is("top_p"));
        chat(Map.of("max_tokens", 10_000_000)).then().statusCode(400).body("error.param", is("max_tokens"));
        chat(Map.of("max_completion_tokens", 0)).then().statusCode(400).body("error.param", is("max_completion_tokens"));
        chat(Map.of("n", 2)).then().statusCode(400).body("error.param", is("n"));
        chat(Map.of("tool_choice", "required")).then().statusCode(400).body("error.param", is("tool_choice"))
                .body("error.type", is("invalid_request_error"));
        chat(Map.of("response_format", Map.of("type", "json_schema", "json_schema", Map.of("name", "x")))).then().statusCode(400)
                .body("error.param", is("response_format"));
        chat(Map.of("stream", "yes")).then().statusCode(400).body("error.param", is("stream"));
        chat(Map.of("tools", List.of(Map.of("type", "function", "function", Map.of("name", "f"))))).then().statusCode(400)
                .body("error.param", is("tools"));
        chat(Map.of("response_format", Map.of("type", "json_object"))).then().statusCode(400).body("error.param", is("response_format"));
        chat(Map.of("messages", List.of(Map.of("role", "wizard", "content", "hi")))).then().statusCode(400)
                .body("error.param", is("messages[0].role"));
        chat(Map.of("messages", List.of(Map.of("role", "user", "content", 5)))).then().statusCode(400)
                .body("error.param", is("messages[0].content"));
        // what a client may send and a DLN can honour is accepted
        chat(Map.of("temperature", 0.2, "max_tokens", 16, "top_p", 1, "n", 1, "response_format", Map.of("type", "text"), "user", "u1"))
                .then().statusCode(200);
    }

    @Test
    void everyNumberIsBounded() {
        base(Map.of("seed", -1)).then().statusCode(400).body("error.fields.field", hasItem("seed"));
        base(Map.of("seed", 1L << 60)).then().statusCode(400).body("error.fields.field", hasItem("seed"));
        base(Map.of("tokenBudget", 10_000_000_000_000L)).then().statusCode(400).body("error.fields.field", hasItem("tokenBudget"));
        base(Map.of("layers", 3)).then().statusCode(400).body("error.fields.field", hasItem("layers"));
        Api.json(key).body("{\"seed\": 99999999999999999999999}").post("/api/runs").then().statusCode(400)
                .body("error.fields.field", hasItem("seed"));
        Api.json(key).body(Map.of("inputs", List.of("x"), "version", 2_000_000_000)).post("/api/models/yesno/predict")
                .then().statusCode(400).body("error.fields.field", hasItem("version"));
        Api.json(key).body(Map.of("version", 0)).put("/api/models/yesno/aliases/prod").then().statusCode(400);
        Api.json(key).body(Map.of("tokenBudget", 0)).post("/api/runs/" + java.util.UUID.randomUUID() + "/resume").then().statusCode(400)
                .body("error.fields.field", hasItem("tokenBudget"));
        // run settings' own ranges reach the client as settings.<field>
        run(Map.of("batchSize", 0, "hSamples", -1)).then().statusCode(400)
                .body("error.fields.field", hasItem("settings.batchSize")).body("error.fields.field", hasItem("settings.hSamples"));
    }

    @Test
    void queryParametersAreCheckedNamingThem() {
        Api.as(key).queryParam("page", 2147483647).get("/api/runs").then().statusCode(400).contentType(ContentType.JSON)
                .body("error.fields.field", hasItem("page")).body("error.message", containsString("100000"));
        Api.as(key).queryParam("page", "abc").get("/api/datasets").then().statusCode(400).body("error.fields.field", hasItem("page"));
        Api.as(key).queryParam("size", 101).get("/api/datasets").then().statusCode(400).body("error.fields.field", hasItem("size"));
        Api.as(key).queryParam("page", -1).get("/api/runs").then().statusCode(400).body("error.fields.field", hasItem("page"));
        Api.as(key).queryParam("datasetId", "not-a-uuid").get("/api/runs").then().statusCode(400).body("error.fields.field", hasItem("datasetId"));
        Api.as(key).queryParam("candidates", "maybe").get("/api/runs/" + java.util.UUID.randomUUID() + "/iterations").then()
                .statusCode(400).body("error.fields.field", hasItem("candidates"));
        Api.as(key).contentType("application/x-ndjson").body(Fixtures.yesNoLines(10).getBytes(StandardCharsets.UTF_8))
                .queryParam("name", "seeded").queryParam("seed", "abc").post("/api/datasets")
                .then().statusCode(400).body("error.fields.field", hasItem("seed"));
        Api.as(key).queryParam("page", 3).queryParam("size", 100).get("/api/runs").then().statusCode(200).body("page", is(3));
    }

    /**
     * A URL or headers over the gateway's limits are refused in JSON naming the limit and the way out, before the key is
     * checked (no key is sent here, and the answer is not 401), in OpenAI's shape under /v1; the connection is closed.
     */
    @Test
    void oversizedUrlsAndHeadersAreRefusedInJsonNamingTheLimit() throws Exception {
        int port = io.restassured.RestAssured.port;
        try (var http = io.dln.gateway.support.RawHttp.connect(port)) {
            var response = http.head("GET", "/api/runs?x=" + "a".repeat(10_000), Map.of(), -1).response(5_000);
            assertStatus(414, response);
            var error = errorOf(response);
            org.junit.jupiter.api.Assertions.assertEquals("uri_too_long", error.path("code").asText(), response.body());
            assertContains(error.path("message").asText(), "dln.gateway.limits.max-url-length", "JSON body (POST)");
        }
        try (var http = io.dln.gateway.support.RawHttp.connect(port)) {
            var response = http.head("GET", "/api/runs", Map.of("X-Big", "b".repeat(30_000)), -1).response(5_000);
            assertStatus(431, response);
            var error = errorOf(response);
            org.junit.jupiter.api.Assertions.assertEquals("headers_too_large", error.path("code").asText(), response.body());
            assertContains(error.path("message").asText(), "dln.gateway.limits.max-header-size", "fewer or shorter headers");
        }
        try (var http = io.dln.gateway.support.RawHttp.connect(port)) {
            var response = http.head("POST", "/v1/chat/completions", Map.of("Authorization", "Bearer " + key,
                    "Content-Type", "application/json", "X-Big", "b".repeat(30_000)), 2).response(5_000);
            assertStatus(431, response);
            org.junit.jupiter.api.Assertions.assertEquals("invalid_request_error", errorOf(response).path("type").asText(),
                    response.body());
            org.junit.jupiter.api.Assertions.assertTrue(http.closedByServer(5_000), "the unread body's connection is closed");
        }
        Api.as(key).get("/api/me").then().statusCode(200);
    }

    /**
     * Past the HTTP codec's own ceilings (quarkus.http.limits.*), and for framing it cannot read such as a negative
     * Content-Length or a malformed request line, Vert.x rejects the request before any route of the gateway; the
     * gateway's invalid-request handler answers it in JSON (OpenAI's shape under /v1), with Connection: close, and the
     * connection is closed. None of it costs the key anything.
     */
    @Test
    void requestsTheHttpDecoderCannotReadAreRefusedInJson() throws Exception {
        int port = io.restassured.RestAssured.port;
        try (var http = io.dln.gateway.support.RawHttp.connect(port)) {
            var response = http.head("GET", "/api/runs?x=" + "a".repeat(70_000), Map.of(), -1).response(5_000);
            assertStatus(414, response);
            org.junit.jupiter.api.Assertions.assertEquals("uri_too_long", errorOf(response).path("code").asText(), response.body());
        }
        for (String length : List.of("-1", "-5", "ten")) {
            try (var http = io.dln.gateway.support.RawHttp.connect(port)) {
                var response = http.head("POST", "/api/runs", Map.of("Authorization", "Bearer " + key,
                        "Content-Type", "application/json", "Content-Length", length), -1).response(5_000);
                assertUnreadable(response);
                assertContains(errorOf(response).path("message").asText(), "Content-Length");
                org.junit.jupiter.api.Assertions.assertTrue(http.closedByServer(5_000), "the connection is closed");
            }
        }
        try (var http = io.dln.gateway.support.RawHttp.connect(port)) {
            var response = http.head("POST", "/v1/chat/completions", Map.of("Authorization", "Bearer " + key,
                    "Content-Length", "-1"), -1).response(5_000);
            assertUnreadable(response);
            org.junit.jupiter.api.Assertions.assertEquals("invalid_request_error", errorOf(response).path("type").asText(),
                    response.body());
        }
        try (var http = io.dln.gateway.support.RawHttp.connect(port)) {
            var response = http.raw("GET /api/me HTTP/one.one\r\nHost: localhost\r\n\r\n").response(5_000);
            assertUnreadable(response);
            org.junit.jupiter.api.Assertions.assertTrue(http.closedByServer(5_000), "the connection is closed");
        }
        Api.as(key).get("/api/me").then().statusCode(200);
    }

    private static void assertUnreadable(io.dln.gateway.support.RawHttp.Response response) throws Exception {
        assertStatus(400, response);
        org.junit.jupiter.api.Assertions.assertEquals("malformed_http_request", errorOf(response).path("code").asText(),
                response.body());
        org.junit.jupiter.api.Assertions.assertEquals("close", response.headers().get("connection"), response.toString());
    }

    private static com.fasterxml.jackson.databind.JsonNode errorOf(io.dln.gateway.support.RawHttp.Response response)
            throws Exception {
        org.junit.jupiter.api.Assertions.assertTrue(response.headers().getOrDefault("content-type", "").startsWith("application/json"),
                response.toString());
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body()).path("error");
    }

    private static void assertContains(String text, String... parts) {
        for (String part : parts) {
            org.junit.jupiter.api.Assertions.assertTrue(text.contains(part), "'" + part + "' in: " + text);
        }
    }

    private static void assertStatus(int expected, io.dln.gateway.support.RawHttp.Response response) {
        org.junit.jupiter.api.Assertions.assertEquals(expected, response.status(), response.toString());
    }

    private io.restassured.response.Response upload(String name, String type, String body) {
        return Api.as(key).contentType(type).body(body.getBytes(StandardCharsets.UTF_8)).queryParam("name", name)
                .queryParam("classes", "yes|Yes").queryParam("classes", "no|No").post("/api/datasets");
    }

    private io.restassured.response.Response run(Map<String, Object> settings) {
        return base(Map.of("settings", settings));
    }

    private io.restassured.response.Response base(Map<String, Object> extra) {
        var body = new java.util.HashMap<String, Object>(Map.of("datasetId", dataset, "modelName", "m", "backend", "simulator"));
        body.putAll(extra);
        return Api.json(key).body(body).post("/api/runs");
    }

    private io.restassured.response.Response chat(Map<String, Object> extra) {
        var body = new java.util.HashMap<String, Object>(Map.of("model", "dln/yesno",
                "messages", List.of(Map.of("role", "user", "content", "Is water wet?"))));
        body.putAll(extra);
        return Api.json(key).body(body).post("/v1/chat/completions");
    }
}
