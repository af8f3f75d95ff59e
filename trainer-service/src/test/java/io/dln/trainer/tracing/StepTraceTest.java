package io.dln.trainer.tracing;

import io.dln.messages.LlmRequest;
import io.dln.messages.MessageCodec;
import io.dln.messages.Topics;
import io.dln.store.RunEntity;
import io.dln.store.RunStatus;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.dln.trainer.support.QueuedRuns;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The requests a training step publishes carry the step's trace: each record's {@code traceparent} names the span of
 * the batch of calls it belongs to, a child of the step's span, which is the root of a trace of its own tagged with the
 * run and iteration. Real PostgreSQL and Kafka; the request records are read from the broker, the spans from memory.
 */
@QuarkusTest
class StepTraceTest {

    private static final String TENANT = "trainer-test";

    @Inject
    InMemorySpanExporter spans;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void eachPublishedRequestCarriesTheContextOfItsStepsTrace() {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        UUID run = null;
        try (KafkaConsumer<String, String> requests = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap,
                "enable.auto.commit", false), new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = java.util.stream.Stream.of(Topics.GENERATE_REQUESTS, Topics.SCORE_REQUESTS)
                    .flatMap(topic -> requests.partitionsFor(topic).stream())
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            requests.assign(partitions);
            requests.seekToEnd(partitions);
            partitions.forEach(requests::position);

            run = QueuedRuns.dln2(TENANT, "trace", "unserved");
            String runId = run.toString();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                requests.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (MessageCodec.fromJson(r.value(), LlmRequest.class).runId().equals(runId)) records.add(r);
                });
                return !records.isEmpty(); // the step's first batch, which nobody answers
            });
        } finally {
            // nobody serves the calls: cancelling ends the step, and its spans with it (and leaves no run behind)
            UUID queued = run;
            if (queued != null) QuarkusTransaction.requiringNew().run(() -> RunEntity.<RunEntity>findById(queued).cancelRequested = true);
        }
        UUID cancelled = run;
        await().atMost(Duration.ofSeconds(60)).until(() -> status(cancelled) == RunStatus.CANCELLED);

        for (ConsumerRecord<String, String> record : records) {
            String[] traceparent = header(record, "traceparent").split("-");
            String traceId = traceparent[1];
            String parentId = traceparent[2];
            List<SpanData> trace = await().atMost(Duration.ofSeconds(30)).until(
                    () -> spans.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(traceId)).toList(),
                    found -> found.stream().anyMatch(s -> s.getName().equals("dln.step")));
            SpanData step = trace.stream().filter(s -> s.getName().equals("dln.step")).findFirst().orElseThrow();
            assertFalse(SpanId.isValid(step.getParentSpanId()), "a step's span is the root of its trace");
            assertEquals(cancelled.toString(), step.getAttributes().get(StepTraces.RUN_ID));
            assertEquals(0L, step.getAttributes().get(StepTraces.ITERATION));
            SpanData batch = trace.stream().filter(s -> s.getSpanId().equals(parentId)).findFirst().orElseThrow(
                    () -> new AssertionError("no span " + parentId + " in the step's trace: " + trace));
            assertTrue(List.of("generate", "log_probability", "class_distribution").contains(batch.getName()), batch.getName());
            assertEquals(step.getSpanId(), batch.getParentSpanId(), "the batch of calls is a phase of the step");
        }
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header h = record.headers().lastHeader(name);
        assertNotNull(h, () -> "record " + record.key() + " has no " + name + " header");
        return new String(h.value(), StandardCharsets.UTF_8);
    }

    private static RunStatus status(UUID run) {
        return QuarkusTransaction.requiringNew().call(() -> RunEntity.<RunEntity>findById(run).status);
    }
}
