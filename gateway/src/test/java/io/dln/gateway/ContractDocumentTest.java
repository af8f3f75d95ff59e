package io.dln.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dln.gateway.support.GatewayTestResources;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The OpenAPI document is the gateway's contract with its clients (the generated ones among them): the document
 * Quarkus stores at build time must equal the reviewed copy in gateway/api/, so that every change to the API shows
 * in a review, and it must give every operation an id, a tag, a typed 2xx answer and the error schema on every error.
 */
@QuarkusTest
@WithTestResource(value = GatewayTestResources.class, scope = TestResourceScope.GLOBAL)
class ContractDocumentTest {

    static final Path STORED = Path.of("target/openapi/openapi.json");
    static final Path REVIEWED = Path.of("api/openapi.json");
    static final String REFRESH = "if the change is intended, refresh the reviewed copy: cp gateway/target/openapi/openapi.json gateway/api/openapi.json";

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void storedDocumentEqualsTheReviewedCopyAndTheServedOne() throws IOException {
        JsonNode stored = json.readTree(Files.readString(STORED));
        JsonNode reviewed = json.readTree(Files.readString(REVIEWED));
        List<String> differences = new ArrayList<>();
        diff("", reviewed, stored, differences);
        assertTrue(differences.isEmpty(), "the API differs from gateway/api/openapi.json at " + differences.stream().limit(20).toList()
                + "; " + REFRESH);
        JsonNode served = json.readTree(given().accept("application/json").get("/q/openapi").asString());
        List<String> servedDifferences = new ArrayList<>();
        diff("", stored, served, servedDifferences);
        assertEquals(List.of(), servedDifferences, "the served document differs from the stored one");
    }

    @Test
    void everyOperationHasAnIdTagsATypedAnswerAndTheErrorSchema() throws IOException {
        JsonNode doc = json.readTree(Files.readString(STORED));
        List<String> problems = new ArrayList<>();
        doc.path("paths").properties().forEach(path -> path.getValue().properties().forEach(method -> {
            JsonNode op = method.getValue();
            String where = method.getKey().toUpperCase() + " " + path.getKey();
            if (op.path("operationId").asText().isBlank()) problems.add(where + ": no operationId");
            if (op.path("tags").isEmpty()) problems.add(where + ": no tag");
            String errorSchema = path.getKey().startsWith("/v1") ? "#/components/schemas/OpenAiError" : "#/components/schemas/Error";
            boolean typed2xx = false;
            for (Map.Entry<String, JsonNode> response : op.path("responses").properties()) {
                String code = response.getKey();
                JsonNode content = response.getValue().path("content");
                if (code.startsWith("2")) {
                    typed2xx |= code.equals("204") || content.properties().stream().anyMatch(c -> c.getValue().has("schema"));
                } else if (code.startsWith("4") || code.startsWith("5")) {
                    String ref = content.path("application/json").path("schema").path("$ref").asText();
                    if (!ref.equals(errorSchema)) problems.add(where + " " + code + ": not the error schema " + errorSchema);
                }
            }
            if (!typed2xx) problems.add(where + ": no typed 2xx answer");
            for (String code : List.of("401", "429", "500")) {
                if (!op.path("responses").has(code)) problems.add(where + ": " + code + " not documented");
            }
        }));
        assertEquals(List.of(), problems);
        String text = doc.toString();
        for (String framework : List.of("JsonNode", "OutboundSseEvent", "ObjectNode", "Multi")) {
            assertTrue(!text.contains("\"" + framework + "\"") && !text.contains("/" + framework + "\""),
                    "a framework type in the document: " + framework);
        }
        assertEquals("string", doc.at("/components/schemas/Message/properties/content/type").asText(), "chat content is a string");
    }

    private static void diff(String at, JsonNode expected, JsonNode actual, List<String> out) {
        if (expected.isObject() && actual.isObject()) {
            for (Iterator<String> names = expected.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!actual.has(name)) out.add(at + "/" + name + " (removed)");
                else diff(at + "/" + name, expected.get(name), actual.get(name), out);
            }
            for (Iterator<String> names = actual.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!expected.has(name)) out.add(at + "/" + name + " (added)");
            }
        } else if (!expected.equals(actual)) {
            out.add(at + (expected.isValueNode() && actual.isValueNode() ? " (" + expected + " -> " + actual + ")" : " (changed)"));
        }
    }
}
