package io.dln.gateway;

import io.dln.gateway.support.Api;
import io.dln.messages.Topics;
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
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every API response names its trace ({@code traceparent}) next to its request id, continuing the caller's trace when
 * it sent one; a predict's trace holds its backend call as a client span under the request's server span, and a run's
 * command record carries the trace of the request that started the run.
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

    @Test
    void aRunsStartCommandCarriesTheRequestsTraceToTheTrainers() {
        String key = Api.key(Api.tenant("tracing"), "trainer");
        String dataset = Fixtures.dataset(key, "traced-run");
        String callerTrace = "5cf92f3577b34da6a3ce929d0e0e4737";
        String runId = Api.json(key).header("traceparent", "00-" + callerTrace + "-10f067aa0ba902b8-01")
                .body(Map.of("datasetId", dataset, "modelName", "traced-run", "backend", "simulator", "settings", Map.of("iterations", 1)))
                .post("/api/runs").then().statusCode(201).extract().path("id");

        Header traceparent = await().atMost(Duration.ofSeconds(30)).until(() -> startCommandTraceparent(runId), java.util.Objects::nonNull);
        assertEquals(callerTrace, traceId(new String(traceparent.value(), StandardCharsets.UTF_8)),
                "the command record continues the request's trace, so a trainer's work can join it");
    }

    /** The traceparent header of the START command of {@code runId} on the run commands topic, null until it is there. */
    private static Header startCommandTraceparent(String runId) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.RUN_COMMANDS).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            for (int polls = 0; polls < 10; polls++) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    if (runId.equals(record.key()) && record.value().contains("START")) return record.headers().lastHeader("traceparent");
                }
            }
            return null;
        }
    }

    private static String traceId(String traceparent) {
        return traceparent.split("-")[1];
    }
}
