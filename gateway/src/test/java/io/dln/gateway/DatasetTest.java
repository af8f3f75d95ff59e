package io.dln.gateway;

import io.dln.gateway.support.Api;
import io.dln.gateway.support.Fixtures;
import io.dln.gateway.support.GatewayTestResources;
import io.dln.store.DatasetEntity;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@WithTestResource(value = GatewayTestResources.class, scope = TestResourceScope.GLOBAL)
class DatasetTest {

    private final String tenant = Api.tenant("datasets");
    private String key;

    @org.junit.jupiter.api.BeforeEach
    void key() {
        key = Api.key(tenant, "trainer");
    }

    @Test
    void uploadsJsonLinesAndShowsCountsPerSplitAndClass() {
        Response created = Api.as(key).contentType("application/x-ndjson").body(Fixtures.yesNoLines(25).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .queryParam("name", "parity").queryParam("classes", "yes|Yes").queryParam("classes", "no|No")
                .queryParam("instruction", "Answer yes or no.").queryParam("seed", 7)
                .post("/api/datasets");
        created.then().statusCode(201).header("Location", containsString("/api/datasets/"))
                .body("name", is("parity")).body("counts.train", is(5)).body("counts.dev", is(5)).body("counts.test", is(15))
                .body("outputClasses", hasItem("yes|Yes")).body("loss", is("exact_match"));
        String id = created.path("id");

        Api.as(key).get("/api/datasets/" + id).then().statusCode(200)
                .body("instruction", is("Answer yes or no."))
                .body("classCounts.train.values().sum()", is(5))
                .body("classCounts.test.values().sum()", is(15))
                .body("classCounts.test.keySet()", org.hamcrest.Matchers.containsInAnyOrder("yes|Yes", "no|No"))
                .body("runs", is(0));
        Api.as(key).get("/api/datasets").then().statusCode(200).body("items.id", hasItem(id)).body("total", greaterThan(0));
        Api.as(key).queryParam("size", 1).queryParam("page", 0).get("/api/datasets").then().body("items", hasSize(1)).body("size", is(1));
    }

    @Test
    void uploadsCsvWithQuotesAndItsOwnSplits() {
        String csv = """
                input,target,split
                "Hello, world",greeting,train
                "She said ""hi""
                on two lines",greeting,train
                Goodbye,farewell,dev
                Bye now,farewell,test
                """;
        Response created = Api.as(key).contentType("text/csv").body(csv).queryParam("name", "csv-greetings").post("/api/datasets");
        created.then().statusCode(201).body("counts.train", is(2)).body("counts.dev", is(1)).body("counts.test", is(1));
        Api.as(key).get("/api/datasets/" + created.path("id")).then()
                .body("classCounts.train.greeting", is(2)).body("classCounts.dev.farewell", is(1));
    }

    @Test
    void uploadsBbhJsonWithTheCatalogueDefaults() {
        StringBuilder bbh = new StringBuilder("{\"canary\": \"c\", \"examples\": [");
        for (int i = 0; i < 10; i++) {
            if (i > 0) bbh.append(',');
            bbh.append("{\"input\": \"Take ").append(i).append(" steps.\\nOptions:\\n- Yes\\n- No\", \"target\": \"")
                    .append(i % 2 == 0 ? "Yes" : "No").append("\"}");
        }
        bbh.append("]}");
        Api.as(key).contentType(ContentType.JSON).body(bbh.toString()).queryParam("name", "navigate-small")
                .queryParam("task", "navigate").post("/api/datasets")
                .then().statusCode(201).body("counts.train", is(2)).body("counts.test", is(6))
                .body("outputClasses", hasItem("yes|Yes")).body("instruction", containsString("yes or no"));
    }

    @Test
    void rejectsAnUploadNamingLineAndFieldOfEveryProblemAndStoresNothing() {
        String lines = """
                {"input": "ok", "target": "yes"}
                {"input": "", "target": "yes"}
                {"target": "no"}
                not json
                {"input": "a", "target": "maybe"}
                {"input": {"x": 1}, "target": "no", "split": "holdout"}
                """;
        long before = datasets();
        Api.as(key).contentType("application/x-ndjson").body(lines.getBytes(java.nio.charset.StandardCharsets.UTF_8)).queryParam("name", "broken")
                .queryParam("classes", "yes|Yes").queryParam("classes", "no|No").post("/api/datasets")
                .then().statusCode(400).contentType(ContentType.JSON)
                .body("error.code", is("invalid_dataset"))
                .body("error.message", containsString("nothing was stored"))
                .body("error.fields", hasSize(6))
                .body("error.fields.find { it.line == 2 }.field", is("input"))
                .body("error.fields.find { it.line == 3 }.field", is("input"))
                .body("error.fields.find { it.line == 4 }.message", containsString("malformed JSON"))
                .body("error.fields.find { it.line == 5 }.field", is("target"))
                .body("error.fields.findAll { it.line == 6 }.field", org.hamcrest.Matchers.containsInAnyOrder("input", "split"));
        assertEquals(before, datasets());
        assertEquals(0L, QuarkusTransaction.requiringNew().call(() -> DatasetEntity.count("tenant = ?1 and name = ?2", tenant, "broken")));
    }

    @Test
    void rejectsBadCsvAndBbhWithLines() {
        Api.as(key).contentType("text/csv").body("question,answer\nx,y\n").queryParam("name", "no-columns").post("/api/datasets")
                .then().statusCode(400).body("error.fields.field", org.hamcrest.Matchers.containsInAnyOrder("input", "target"));
        Api.as(key).contentType("text/csv").body("input,target\na,b\nc\n\"open,x\n").queryParam("name", "ragged").post("/api/datasets")
                .then().statusCode(400).body("error.fields.line", hasItem(3)).body("error.fields.line", hasItem(4));
        Api.as(key).contentType(ContentType.JSON).body("{\"examples\": [{\"input\": \"a\"},\n {\"input\": \"b\", \"target\": 3}, 5]}")
                .queryParam("name", "bad-bbh").post("/api/datasets")
                .then().statusCode(400).body("error.fields.field", hasItem("examples[0].target"))
                .body("error.fields.field", hasItem("examples[2]"));
        Api.as(key).contentType("application/x-ndjson").body(("{\"input\": \"a\", \"target\": \"b\", \"split\": \"train\"}\n"
                        + "{\"input\": \"c\", \"target\": \"d\"}\n").getBytes(java.nio.charset.StandardCharsets.UTF_8)).queryParam("name", "mixed").post("/api/datasets")
                .then().statusCode(400).body("error.fields[0].line", is(2)).body("error.fields[0].field", is("split"));
        Api.as(key).contentType("application/x-ndjson").body(Fixtures.yesNoLines(3).getBytes(java.nio.charset.StandardCharsets.UTF_8)).queryParam("name", "tiny").post("/api/datasets")
                .then().statusCode(400).body("error.message", containsString("nothing was stored"));
        assertEquals(0, datasets());
    }

    @Test
    void rejectsBadParameters() {
        Api.as(key).contentType("application/x-ndjson").body(Fixtures.yesNoLines(10).getBytes(java.nio.charset.StandardCharsets.UTF_8)).post("/api/datasets")
                .then().statusCode(400).body("error.fields.field", hasItem("name"));
        Api.as(key).contentType("text/plain").body("x").queryParam("name", "what").post("/api/datasets")
                .then().statusCode(400).body("error.fields.field", hasItem("format"));
        Api.as(key).contentType("application/x-ndjson").body(Fixtures.yesNoLines(10).getBytes(java.nio.charset.StandardCharsets.UTF_8)).queryParam("name", "bad-params")
                .queryParam("loss", "hinge").queryParam("task", "no-such-task").queryParam("classes", "a||b")
                .post("/api/datasets").then().statusCode(400)
                .body("error.fields.field", org.hamcrest.Matchers.containsInAnyOrder("loss", "task", "classes"));
    }

    @Test
    void refusesOversizedUploadsWith413AndStoresNothing() throws Exception {
        String big = Fixtures.yesNoLines(9000); // ~360 KB, above the test limit of 256 KB
        Api.as(key).contentType("application/x-ndjson").body(big.getBytes(java.nio.charset.StandardCharsets.UTF_8)).queryParam("name", "too-big").post("/api/datasets")
                .then().statusCode(413).contentType(ContentType.JSON).body("error.code", is("payload_too_large"));
        // streamed without a Content-Length: counted as it arrives
        HttpRequest chunked = HttpRequest.newBuilder(URI.create(Api.baseUri() + "/api/datasets?name=too-big-streamed"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8))))
                .build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(chunked, HttpResponse.BodyHandlers.ofString());
        assertEquals(413, response.statusCode());
        assertTrue(response.body().contains("payload_too_large"), response.body());
        assertEquals(0, datasets());
    }

    @Test
    void namesAreUniquePerTenantAndDeleteRefusesDataSetsInUse() {
        String id = Fixtures.dataset(key, "kept");
        Api.as(key).contentType("application/x-ndjson").body(Fixtures.yesNoLines(10).getBytes(java.nio.charset.StandardCharsets.UTF_8)).queryParam("name", "kept").post("/api/datasets")
                .then().statusCode(409).body("error.code", is("dataset_exists"));
        Fixtures.run(key, id, "kept-model");
        Api.as(key).delete("/api/datasets/" + id).then().statusCode(409).body("error.code", is("dataset_in_use"));

        String unused = Fixtures.dataset(key, "unused");
        Api.as(key).delete("/api/datasets/" + unused).then().statusCode(204);
        Api.as(key).get("/api/datasets/" + unused).then().statusCode(404).body("error.code", is("not_found"));
        Api.as(key).delete("/api/datasets/" + unused).then().statusCode(404);
    }

    private long datasets() {
        return QuarkusTransaction.requiringNew().call(() -> DatasetEntity.count("tenant = ?1 and name not in ('parity', "
                + "'csv-greetings', 'navigate-small', 'kept', 'unused')", tenant));
    }
}
