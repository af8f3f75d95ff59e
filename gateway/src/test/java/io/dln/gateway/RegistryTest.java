package io.dln.gateway;

import io.dln.gateway.support.Api;
import io.dln.gateway.support.Fixtures;
import io.dln.gateway.support.GatewayTestResources;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
@WithTestResource(value = GatewayTestResources.class, scope = TestResourceScope.GLOBAL)
class RegistryTest {

    private final String tenant = Api.tenant("registry");
    private String key;

    @BeforeEach
    void models() {
        key = Api.key(tenant, "trainer");
        Fixtures.model(tenant, "sentiment", 1, 1, List.of("yes|Yes", "no|No"), "", "Answer yes or no.");
        Fixtures.model(tenant, "sentiment", 2, 2, List.of("yes|Yes", "no|No"), "Think first.", "Answer yes or no, briefly.");
        Fixtures.model(tenant, "other", 1, 1, null, "", "Say something.");
    }

    @Test
    void listsNamesVersionsAndShowsAVersion() {
        Api.as(key).get("/api/models").then().statusCode(200).body("name", contains("other", "sentiment"))
                .body("find { it.name == 'sentiment' }.latestVersion", is(2))
                .body("find { it.name == 'sentiment' }.versions", is(2));
        Api.as(key).get("/api/models/sentiment/versions").then().statusCode(200).body("version", contains(2, 1))
                .body("[0].metrics.devAccuracy", is(0.8f));
        Api.as(key).get("/api/models/sentiment/versions/2").then().statusCode(200)
                .body("name", is("sentiment")).body("version", is(2)).body("layers", is(2))
                .body("prompts.p1", is("Think first.")).body("prompts.p2", is("Answer yes or no, briefly."))
                .body("templates.forward.name", is("forward")).body("templates.hidden.name", is("hidden-forward"))
                .body("settings.layers", is(2)).body("forwardBackend", is("simulator")).body("outputClasses", hasItem("no|No"))
                .body("sourceRunId", nullValue());
        Api.as(Api.key(tenant, "inference")).get("/api/models/sentiment/versions/1").then().statusCode(200);
    }

    @Test
    void aliasesMoveAndGo() {
        Api.as(key).get("/api/models/sentiment/aliases").then().statusCode(200).body("size()", is(0));
        Api.json(key).body(Map.of("version", 1)).put("/api/models/sentiment/aliases/prod").then().statusCode(200).body("prod", is(1));
        Api.json(key).body(Map.of("version", 2)).put("/api/models/sentiment/aliases/canary").then().statusCode(200);
        Api.json(key).body(Map.of("version", 2)).put("/api/models/sentiment/aliases/prod").then().statusCode(200)
                .body("prod", is(2)).body("canary", is(2));
        Api.as(key).get("/api/models/sentiment/versions/2").then().body("aliases", contains("canary", "prod"));
        Api.as(key).get("/api/models").then().body("find { it.name == 'sentiment' }.aliases.prod", is(2));

        Api.as(key).delete("/api/models/sentiment/aliases/canary").then().statusCode(204);
        Api.as(key).delete("/api/models/sentiment/aliases/canary").then().statusCode(404).body("error.code", is("not_found"));
        Api.as(key).get("/api/models/sentiment/aliases").then().body("canary", nullValue()).body("prod", is(2));

        Api.json(key).body(Map.of("version", 9)).put("/api/models/sentiment/aliases/prod").then().statusCode(404);
        Api.json(key).body(Map.of("version", 1)).put("/api/models/sentiment/aliases/latest").then().statusCode(400)
                .body("error.fields.field", hasItem("alias"));
        Api.json(key).body(Map.of("version", 1)).put("/api/models/sentiment/aliases/7up").then().statusCode(400);
        Api.json(key).body(Map.of()).put("/api/models/sentiment/aliases/prod").then().statusCode(400)
                .body("error.fields.field", hasItem("version"));
        Api.json(key).body(Map.of("version", 1)).put("/api/models/nothing/aliases/prod").then().statusCode(404);
    }

    @Test
    void unknownModelsAndVersionsAre404() {
        Api.as(key).get("/api/models/nothing/versions").then().statusCode(404).contentType(ContentType.JSON)
                .body("error.code", is("not_found"));
        Api.as(key).get("/api/models/sentiment/versions/3").then().statusCode(404);
        Api.as(key).get("/api/models/nothing/aliases").then().statusCode(404);
        Api.as(key).get("/api/models/sentiment/versions/3/export").then().statusCode(404);
    }

    @Test
    void exportsAVersionAndImportsItAsANewOne() {
        String document = Api.as(key).get("/api/models/sentiment/versions/2/export").then().statusCode(200)
                .header("Content-Disposition", containsString("sentiment-v2.json"))
                .body("format", is("dln-model/1")).body("version", is(2)).body("templates.residual.text", notNullValue())
                .extract().asString();

        Api.json(key).body(document).post("/api/models/import").then().statusCode(201)
                .header("Location", containsString("/api/models/sentiment/versions/3"))
                .body("version", is(3)).body("prompts.p2", is("Answer yes or no, briefly.")).body("layers", is(2))
                .body("metrics.importedFrom", is("sentiment:2"));
        Api.json(key).body(document).queryParam("name", "sentiment-copy").post("/api/models/import").then().statusCode(201)
                .body("name", is("sentiment-copy")).body("version", is(1));

        // another tenant imports the same document into its own registry
        String elsewhere = Api.key(Api.tenant("registry-import"), "trainer");
        Api.json(elsewhere).body(document).post("/api/models/import").then().statusCode(201).body("version", is(1));
    }

    @Test
    void refusesAnInvalidDocument() {
        Map<String, Object> document = JsonPath.from(Api.as(key).get("/api/models/sentiment/versions/2/export").asString()).getMap("");
        document.put("format", "something/9");
        document.put("layers", 3);
        document.put("forwardBackend", "gpt-99");
        ((Map<String, Object>) document.get("templates")).remove("hidden");
        Api.json(key).body(document).post("/api/models/import").then().statusCode(400)
                .body("error.fields.field", hasItems("format", "layers", "forwardBackend"));

        Map<String, Object> twoLayers = JsonPath.from(Api.as(key).get("/api/models/sentiment/versions/2/export").asString()).getMap("");
        ((Map<String, Object>) twoLayers.get("templates")).remove("hidden");
        Api.json(key).body(twoLayers).post("/api/models/import").then().statusCode(400)
                .body("error.fields.field", hasItem("templates.hidden"));
        Api.json(key).body(twoLayers).queryParam("name", "bad/name").post("/api/models/import").then().statusCode(400)
                .body("error.fields.field", hasItem("name"));
        Api.json(key).body("{\"settings\": {\"iterations\": \"x\"}}").post("/api/models/import").then().log().ifValidationFails()
                .statusCode(400).body("error.fields[0].field", is("settings.iterations"));
        Map<String, Object> nonFinite = JsonPath.from(Api.as(key).get("/api/models/sentiment/versions/2/export").asString()).getMap("");
        ((Map<String, Object>) nonFinite.get("settings")).put("forwardTemperature", "NaN");
        Api.json(key).body(nonFinite).post("/api/models/import").then().statusCode(400)
                .body("error.fields.field", hasItem("settings.forwardTemperature"))
                .body("error.fields[0].message", containsString("finite"));
        Map<String, Object> outOfRange = JsonPath.from(Api.as(key).get("/api/models/sentiment/versions/2/export").asString()).getMap("");
        ((Map<String, Object>) outOfRange.get("settings")).put("p2MaxTokens", 2147483647);
        Api.json(key).body(outOfRange).post("/api/models/import").then().statusCode(400)
                .body("error.fields.field", hasItem("settings.p2MaxTokens"));
        Api.as(key).get("/api/models/sentiment/versions").then().body("", hasSize(2));
    }
}
