package io.dln.gateway;

import io.dln.gateway.support.Api;
import io.dln.gateway.support.Fixtures;
import io.dln.gateway.support.GatewayTestResources;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every API response names its trace ({@code traceparent}) next to its request id, continuing the caller's trace when
 * it sent one; a predict's trace holds its backend call as a client span under the request's server span.
 */
@QuarkusTest
@WithTestResource(value = GatewayTestResources.class, scope = TestResourceScope.GLOBAL)
class TracingTest {

    private static final String TRACEPARENT = "00-[0-9a-f]{32}-[0-9a-f]{16}-01";

    @Inject
    InMemorySpanExporter spans;

    @Test
    void everyResponseCarriesItsTraceparentAndARefusalToo() {
        String refused = RestAssured.given().get("/api/me").then().statusCode(401)
                .header("x-request-id", org.hamcrest.Matchers.notNullValue()).extract().header("traceparent");
        assertNotNull(refused, "a refusal names its trace");
        assertTrue(refused.matches(TRACEPARENT), refused);

        String key = Api.key(Api.tenant("tracing"), "inference");
        String first = Api.as(key).get("/api/me").then().statusCode(200).extract().header("traceparent");
        String second = Api.as(key).get("/api/me").then().statusCode(200).extract().header("traceparent");
        assertTrue(first.matches(TRACEPARENT) && second.matches(TRACEPARENT), first + " / " + second);
        assertTrue(!traceId(first).equals(traceId(second)), "each request is a trace of its own");
    }

    @Test
    void aPredictContinuesTheCallersTraceDownToItsBackendCall() {
        String tenant = Api.tenant("tracing");
        String key = Api.key(tenant, "inference");
        Fixtures.model(tenant, "traced", 1, 1, List.of("yes|Yes", "no|No"), "", "Answer yes or no.");
        String callerTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
        String callerSpan = "00f067aa0ba902b7";

        String answered = Api.json(key).header("traceparent", "00-" + callerTrace + "-" + callerSpan + "-01")
                .body(Map.of("inputs", List.of("Is the sea wet?")))
                .post("/api/models/traced/predict").then().statusCode(200).extract().header("traceparent");
        assertEquals(callerTrace, traceId(answered), "the response continues the caller's trace");

        List<SpanData> trace = await().atMost(Duration.ofSeconds(30)).until(
                () -> spans.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(callerTrace)).toList(),
                found -> found.stream().anyMatch(s -> s.getKind() == SpanKind.SERVER)
                        && found.stream().anyMatch(s -> s.getKind() == SpanKind.CLIENT));
        SpanData server = trace.stream().filter(s -> s.getKind() == SpanKind.SERVER).findFirst().orElseThrow();
        assertEquals(callerSpan, server.getParentSpanId());
        assertEquals(server.getSpanId(), answered.split("-")[2], "the response names the request's server span");
        SpanData call = trace.stream().filter(s -> s.getKind() == SpanKind.CLIENT).findFirst().orElseThrow();
        assertEquals(server.getSpanId(), call.getParentSpanId(), () -> "the backend call is a child of the request: " + trace);
        assertEquals(200L, call.getAttributes().get(AttributeKey.longKey("http.response.status_code")));
        assertTrue(call.getAttributes().get(AttributeKey.stringKey("url.full")).startsWith(GatewayTestResources.simulatorUrl()),
                () -> call.getAttributes().toString());
    }

    private static String traceId(String traceparent) {
        return traceparent.split("-")[1];
    }
}
