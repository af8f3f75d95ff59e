package io.dln.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dln.gateway.inference.PredictResponse;
import io.dln.gateway.support.Api;
import io.dln.store.ModelAliasEntity;
import io.dln.store.ModelEntity;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.dln.gateway.support.Fixtures;
import io.dln.gateway.support.GatewayTestResources;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.in;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Inference on model rows written here as a trainer would, against the simulator backend. */
@QuarkusTest
@WithTestResource(value = GatewayTestResources.class, scope = TestResourceScope.GLOBAL)
class InferenceTest {

    static final List<String> INPUTS = List.of("Is the sky green?", "Is water wet?", "Do fish fly?");

    private final String tenant = Api.tenant("inference");
    private String key;

    @BeforeEach
    void models() {
        key = Api.key(tenant, "inference");
        Fixtures.model(tenant, "yesno", 1, 1, List.of("yes|Yes", "no|No"), "", "Answer yes or no.");
        Fixtures.model(tenant, "yesno", 2, 2, List.of("yes|Yes", "no|No"), "Think about it.", "Answer yes or no.");
        Fixtures.model(tenant, "free", 1, 1, null, "", "Answer briefly.");
    }

    @Test
    void predictsClassesOnTheNewestVersionWithProbabilities() {
        Api.json(key).body(Map.of("inputs", INPUTS, "returnClassProbabilities", true, "returnHidden", true))
                .post("/api/models/yesno/predict").then().statusCode(200)
                .body("model", is("yesno")).body("version", is(2))
                .body("outputs", hasSize(3)).body("outputs", everyItem(is(in(List.of("yes", "no")))))
                .body("hidden", hasSize(3)).body("hidden", everyItem(not(emptyString())))
                .body("classProbabilities", hasSize(3))
                .body("classProbabilities[0].values().sum()", closeTo(1.0, 1e-6))
                .body("classProbabilities[0].keySet()", org.hamcrest.Matchers.contains("yes", "no"))
                .body("usage.promptTokens", greaterThan(0));
    }

    @Test
    void withoutTopKAModelWithClassesAnswersByGenerationBiasedToItsClasses() {
        List<String> offTopic = List.of("Tell me about the weather on Mars.", "Describe a sunset.");
        for (String name : List.of("biased", "unbiased")) {
            ModelEntity m = Fixtures.model(tenant, name, 1, 1, name.equals("biased") ? List.of("yes|Yes", "no|No") : null, "",
                    "Answer yes or no.");
            QuarkusTransaction.requiringNew().run(() -> ModelEntity.update("forwardBackend = ?1 where id = ?2", "sim-no-topk", m.id));
        }
        Api.json(key).body(Map.of("inputs", offTopic)).post("/api/models/biased/predict").then().statusCode(200)
                .body("outputs", everyItem(is(in(List.of("yes", "no", "Yes", "No")))));
        // the same prompt with no classes to push towards: the server writes what it likes
        Api.json(key).body(Map.of("inputs", offTopic)).post("/api/models/unbiased/predict").then().statusCode(200)
                .body("outputs", not(everyItem(is(in(List.of("yes", "no", "Yes", "No"))))));
    }

    @Test
    void predictsTheSameOverHttp2WithOrWithoutADeclaredLengthAndAfter100Continue() throws Exception {
        List<String> expected = Api.json(key).body(Map.of("inputs", INPUTS)).post("/api/models/yesno/predict").then()
                .statusCode(200).extract().path("outputs");
        byte[] body = new ObjectMapper().writeValueAsBytes(Map.of("inputs", INPUTS));
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build()) {
            // the first request upgrades the connection to HTTP/2 (h2c); the predicts then go over HTTP/2
            http.send(HttpRequest.newBuilder(URI.create(Api.baseUri() + "/api/models")).header("Authorization", "Bearer " + key)
                    .build(), HttpResponse.BodyHandlers.discarding());
            for (HttpRequest.BodyPublisher publisher : List.of(HttpRequest.BodyPublishers.ofByteArray(body),
                    HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))) {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(Api.baseUri() + "/api/models/yesno/predict"))
                        .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                        .POST(publisher).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, response.statusCode(), response.body());
                assertEquals(HttpClient.Version.HTTP_2, response.version());
                assertEquals(expected, new ObjectMapper().readValue(response.body(), PredictResponse.class).outputs());
            }
        }
        // a client that waits for '100 Continue' before it sends the body (curl does for large bodies) gets it
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(Api.baseUri() + "/api/models/yesno/predict"))
                    .header("Authorization", "Bearer " + key).header("Content-Type", "application/json").expectContinue(true)
                    .timeout(java.time.Duration.ofSeconds(5)).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            assertEquals(expected, new ObjectMapper().readValue(response.body(), PredictResponse.class).outputs());
        }
    }

    @Test
    void picksTheVersionByNumberAliasOrProd() {
        Api.json(key).body(Map.of("inputs", INPUTS, "version", 1)).post("/api/models/yesno/predict").then().statusCode(200)
                .body("version", is(1)).body("hidden", nullValue()).body("classProbabilities", nullValue());
        Api.json(Api.key(tenant, "trainer")).body(Map.of("version", 1)).put("/api/models/yesno/aliases/prod").then().statusCode(200);
        Api.json(key).body(Map.of("inputs", INPUTS)).post("/api/models/yesno/predict").then().body("version", is(1));
        Api.json(key).body(Map.of("inputs", INPUTS, "alias", "latest")).post("/api/models/yesno/predict").then().body("version", is(2));
        Api.json(key).body(Map.of("inputs", INPUTS, "alias", "prod", "returnHidden", true)).post("/api/models/yesno/predict")
                .then().body("version", is(1)).body("hidden", nullValue());
    }

    /** What another gateway or the trainer changes in the registry reaches this instance within the refresh time. */
    @Test
    void servesWhatChangedElsewhereWithinTheRefreshTime() throws InterruptedException {
        Api.json(Api.key(tenant, "trainer")).body(Map.of("version", 1)).put("/api/models/free/aliases/prod").then().statusCode(200);
        Api.json(key).body(Map.of("inputs", INPUTS, "alias", "latest")).post("/api/models/free/predict").then().body("version", is(1));
        Api.json(key).body(Map.of("inputs", INPUTS, "alias", "prod")).post("/api/models/free/predict").then().body("version", is(1));

        Fixtures.model(tenant, "free", 2, 1, null, "", "Answer in one word.");
        QuarkusTransaction.requiringNew().run(() ->
                ModelAliasEntity.delete("key.tenant = ?1 and key.name = ?2 and key.alias = ?3", tenant, "free", "prod"));

        assertEventually(() -> Api.json(key).body(Map.of("inputs", INPUTS, "alias", "latest")).post("/api/models/free/predict")
                .then().statusCode(200).extract().<Integer>path("version") == 2, "the new version served as latest");
        assertEventually(() -> Api.json(key).body(Map.of("inputs", INPUTS, "alias", "prod")).post("/api/models/free/predict")
                .statusCode() == 404, "the removed alias answered with 404");
    }

    private static void assertEventually(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("not within 10 s: " + what);
            Thread.sleep(200);
        }
    }

    @Test
    void generatesFreeTextWhenTheModelHasNoClasses() {
        Api.json(key).body(Map.of("inputs", List.of("Name a colour."))).post("/api/models/free/predict").then().statusCode(200)
                .body("outputs", hasSize(1)).body("outputs[0]", not(emptyString()));
        Api.json(key).body(Map.of("inputs", List.of("x"), "returnClassProbabilities", true)).post("/api/models/free/predict")
                .then().statusCode(400).body("error.fields.field", hasItem("returnClassProbabilities"));
    }

    @Test
    void refusesBadRequests() {
        Api.json(key).body("").post("/api/models/yesno/predict").then().statusCode(400).contentType(ContentType.JSON)
                .body("error.code", is("invalid_request"));
        Api.json(key).body("{\"inputs\": [\"x\"").post("/api/models/yesno/predict").then().statusCode(400)
                .contentType(ContentType.JSON).body("error.code", is("invalid_request"));
        Api.json(key).body(Map.of("inputs", List.of())).post("/api/models/yesno/predict").then().statusCode(400)
                .contentType(ContentType.JSON).body("error.fields.field", hasItem("inputs"));
        Api.json(key).body(Map.of("inputs", java.util.Collections.nCopies(9, "x"))).post("/api/models/yesno/predict")
                .then().statusCode(400).body("error.message", containsString("at most 8"));
        Api.json(key).body(Map.of("inputs", INPUTS, "version", 1, "alias", "prod")).post("/api/models/yesno/predict")
                .then().statusCode(400).body("error.fields.field", hasItem("version"));
        Api.json(key).body(Map.of("inputs", INPUTS, "version", 0)).post("/api/models/yesno/predict").then().statusCode(400);
        Api.json(key).body(Map.of("inputs", INPUTS)).post("/api/models/nothing/predict").then().statusCode(404)
                .body("error.code", is("not_found"));
        Api.json(key).body(Map.of("inputs", INPUTS, "version", 7)).post("/api/models/yesno/predict").then().statusCode(404);
        Api.json(key).body(Map.of("inputs", INPUTS, "alias", "staging")).post("/api/models/yesno/predict").then().statusCode(404);
        given().contentType(ContentType.JSON).body(Map.of("inputs", INPUTS)).post("/api/models/yesno/predict").then().statusCode(401);
    }

    @Test
    void chatCompletionsAnswerWithTheDlnsOutput() {
        String predicted = Api.json(key).body(Map.of("inputs", List.of("Is water wet?"))).post("/api/models/yesno/predict")
                .path("outputs[0]");
        Response chat = Api.json(key).body(Map.of("model", "dln/yesno", "messages", List.of(
                        Map.of("role", "system", "content", "ignored"),
                        Map.of("role", "user", "content", "Is the sky green?"),
                        Map.of("role", "assistant", "content", "no"),
                        Map.of("role", "user", "content", List.of(Map.of("type", "text", "text", "Is water wet?"))))))
                .post("/v1/chat/completions");
        chat.then().statusCode(200).contentType(ContentType.JSON)
                .body("object", is("chat.completion")).body("model", is("dln/yesno:2"))
                .body("choices[0].message.role", is("assistant")).body("choices[0].finish_reason", is("stop"))
                .body("usage.total_tokens", greaterThan(0));
        assertEquals(predicted, chat.path("choices[0].message.content"));

        Api.json(key).body(Map.of("model", "dln/yesno:1", "messages", List.of(Map.of("role", "user", "content", "Is water wet?"))))
                .post("/v1/chat/completions").then().statusCode(200).body("model", is("dln/yesno:1"));
    }

    @Test
    void chatCompletionsStreamAsServerSentEvents() {
        String body = Api.json(key).body(Map.of("model", "dln/yesno", "stream", true, "stream_options", Map.of("include_usage", true),
                        "messages", List.of(Map.of("role", "user", "content", "Is water wet?"))))
                .post("/v1/chat/completions").then().statusCode(200).contentType(containsString("text/event-stream"))
                .extract().asString();
        List<String> data = body.lines().filter(l -> l.startsWith("data: ")).map(l -> l.substring(6)).toList();
        assertEquals("[DONE]", data.getLast());
        io.restassured.path.json.JsonPath first = io.restassured.path.json.JsonPath.from(data.get(0));
        assertEquals("chat.completion.chunk", first.getString("object"));
        assertEquals("assistant", first.getString("choices[0].delta.role"));
        String content = io.restassured.path.json.JsonPath.from(data.get(1)).getString("choices[0].delta.content");
        assertEquals("stop", io.restassured.path.json.JsonPath.from(data.get(2)).getString("choices[0].finish_reason"));
        org.junit.jupiter.api.Assertions.assertTrue(io.restassured.path.json.JsonPath.from(data.get(3)).getInt("usage.total_tokens") > 0);
        String predicted = Api.json(key).body(Map.of("inputs", List.of("Is water wet?"))).post("/api/models/yesno/predict").path("outputs[0]");
        assertEquals(predicted, content);
    }

    @Test
    void listsModelsTheOpenAiWay() {
        Api.json(Api.key(tenant, "trainer")).body(Map.of("version", 2)).put("/api/models/yesno/aliases/prod").then().statusCode(200);
        Api.as(key).get("/v1/models").then().statusCode(200).body("object", is("list"))
                .body("data.id", hasItems("dln/yesno", "dln/yesno:prod", "dln/free")).body("data.object", everyItem(is("model")));
        long now = System.currentTimeMillis() / 1000;
        Api.as(key).get("/v1/models/dln/yesno:prod").then().statusCode(200).body("id", is("dln/yesno:prod"))
                .body("created", org.hamcrest.Matchers.allOf(org.hamcrest.Matchers.greaterThan((int) (now - 3600)),
                        org.hamcrest.Matchers.lessThanOrEqualTo((int) now + 5)));
        // an unknown model is one error, whichever part of its name is unknown
        for (String unknown : List.of("dln/nothing", "dln/yesno:no-such-alias", "dln/yesno:999", "gpt-4o")) {
            Api.as(key).get("/v1/models/" + unknown).then().statusCode(404).body("error.type", is("not_found_error"))
                    .body("error.code", is("model_not_found"));
        }
    }

    @Test
    void openAiErrorsHaveOpenAisShape() {
        Api.json(key).body(Map.of("model", "gpt-4o", "messages", List.of(Map.of("role", "user", "content", "hi"))))
                .post("/v1/chat/completions").then().statusCode(404).body("error.code", is("model_not_found"))
                .body("error.type", is("not_found_error")).body("error.param", is("model")).body("error.message", containsString("dln/"));
        Api.json(key).body(Map.of("model", "dln/nothing", "messages", List.of(Map.of("role", "user", "content", "hi"))))
                .post("/v1/chat/completions").then().statusCode(404).body("error.type", is("not_found_error"));
        Api.json(key).body(Map.of("model", "dln/yesno", "messages", List.of(Map.of("role", "system", "content", "hi"))))
                .post("/v1/chat/completions").then().statusCode(400).body("error.type", is("invalid_request_error"))
                .body("error.param", is("messages"));
        Api.json(key).body(Map.of("model", "dln/yesno", "n", 2, "messages", List.of(Map.of("role", "user", "content", "hi"))))
                .post("/v1/chat/completions").then().statusCode(400).body("error.param", is("n"));
        Api.json(key).body("{oops").post("/v1/chat/completions").then().statusCode(400).body("error.type", is("invalid_request_error"));
        given().contentType(ContentType.JSON).body(Map.of("model", "dln/yesno")).post("/v1/chat/completions").then().statusCode(401)
                .body("error.type", is("authentication_error")).body("error.message", containsString("API key"));
    }
}
