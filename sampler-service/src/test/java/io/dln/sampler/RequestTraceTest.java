package io.dln.sampler;

import io.dln.core.lm.GenerationRequest;
import io.dln.messages.LlmRequest;
import io.dln.messages.MessageCodec;
import io.dln.messages.Topics;
import io.dln.testkit.KafkaTestClient.PartitionReader;
import io.dln.worker.testing.WorkerClient;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

import static io.dln.worker.testing.WorkerClient.inTwoMinutes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A request record that carries the trainer's trace context ({@code traceparent}, as the trainer publishes it) is
 * served inside that trace: the worker's consume span is a child of the trainer's span, and the backend call's HTTP
 * span a child of the consume span. Real broker, real simulator over HTTP; the spans are read from memory.
 */
@QuarkusTest
@WithTestResource(KafkaAndSimulator.class)
class RequestTraceTest {

    private static final int REPLY_PARTITION = 2;

    @RegisterExtension
    final WorkerClient worker = new WorkerClient("sampler-trace-", Topics.GENERATE_REQUESTS, Topics.GENERATE_REQUESTS_DLQ,
            REPLY_PARTITION, LlmRequest::requestId);

    @Inject
    InMemorySpanExporter spans;

    @Test
    void theConsumeSpanContinuesTheTrainersTraceAndTheBackendCallContinuesTheConsumeSpan() {
        String traceId = hex(16);
        String trainerSpanId = hex(8);
        LlmRequest request = LlmRequest.generate("gen-" + UUID.randomUUID(), worker.runId(), 3, inTwoMinutes(), "simulator",
                REPLY_PARTITION, GenerationRequest.greedy("Name one colour of the sea:", 6, List.of("\n")));

        try (PartitionReader replies = worker.replies()) {
            worker.kafka().send(Topics.GENERATE_REQUESTS, request.requestId(), MessageCodec.toJson(request),
                    Map.of("traceparent", "00-" + traceId + "-" + trainerSpanId + "-01"));
            worker.okResult(worker.awaitResults(replies, List.of(request)), request);
        }

        List<SpanData> trace = finishedSpans(traceId);
        SpanData consume = single(trace, SpanKind.CONSUMER);
        assertEquals(trainerSpanId, consume.getParentSpanId(), "the consume span's parent is the trainer's span");
        assertTrue(consume.getName().contains(Topics.GENERATE_REQUESTS), consume.getName());
        SpanData call = single(trace, SpanKind.CLIENT);
        assertEquals(consume.getSpanId(), call.getParentSpanId(), "the backend call's parent is the consume span");
        assertEquals("POST", call.getName());
        assertEquals(200L, call.getAttributes().get(AttributeKey.longKey("http.response.status_code")));
        assertTrue(call.getAttributes().get(AttributeKey.stringKey("url.full")).endsWith("/completions"),
                () -> "url " + call.getAttributes());
        assertEquals("simulator", call.getAttributes().get(AttributeKey.stringKey("dln.backend")));
    }

    @Test
    void aChatCallIsTracedByTheLangChain4jExtensionInsideTheConsumeSpan() {
        String traceId = hex(16);
        LlmRequest request = LlmRequest.generate("gen-" + UUID.randomUUID(), worker.runId(), 3, inTwoMinutes(), "chat",
                REPLY_PARTITION, GenerationRequest.greedy("Name one colour of the sky:", 6, List.of("\n")));

        try (PartitionReader replies = worker.replies()) {
            worker.kafka().send(Topics.GENERATE_REQUESTS, request.requestId(), MessageCodec.toJson(request),
                    Map.of("traceparent", "00-" + traceId + "-" + hex(8) + "-01"));
            worker.okResult(worker.awaitResults(replies, List.of(request)), request);
        }

        List<SpanData> trace = finishedSpans(traceId, s -> s.getName().equals("completion dln-simulator"));
        SpanData consume = single(trace, SpanKind.CONSUMER);
        // the extension's span of the chat call (its SpanChatModelListener), then its REST client's HTTP span
        SpanData completion = trace.stream().filter(s -> s.getName().equals("completion dln-simulator")).findFirst()
                .orElseThrow(() -> new AssertionError("no span of the extension's model in " + trace));
        assertEquals(consume.getSpanId(), completion.getParentSpanId(), "the chat call's parent is the consume span");
        assertEquals("dln-simulator", completion.getAttributes().get(AttributeKey.stringKey("gen_ai.request.model")));
        SpanData call = single(trace, SpanKind.CLIENT);
        assertEquals(completion.getSpanId(), call.getParentSpanId(), "the HTTP call's parent is the extension's span");
        assertEquals(200L, call.getAttributes().get(AttributeKey.longKey("http.response.status_code")), () -> "attributes " + call.getAttributes());
    }

    /** The trace's spans once its backend call's span is finished and exported (spans are exported in batches). */
    private List<SpanData> finishedSpans(String traceId) {
        return finishedSpans(traceId, s -> s.getKind() == SpanKind.CLIENT);
    }

    /** The trace's spans once one that {@code awaited} matches is finished and exported. */
    private List<SpanData> finishedSpans(String traceId, Predicate<SpanData> awaited) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            List<SpanData> trace = spans.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(traceId)).toList();
            if (trace.stream().anyMatch(awaited) || System.nanoTime() > deadline) return trace;
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return trace;
            }
        }
    }

    private static SpanData single(List<SpanData> trace, SpanKind kind) {
        List<SpanData> of = trace.stream().filter(s -> s.getKind() == kind).toList();
        assertEquals(1, of.size(), () -> kind + " spans of the trace: " + trace);
        return of.getFirst();
    }

    private static String hex(int bytes) {
        byte[] random = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(random);
        random[0] |= 1; // never all zeros, which W3C calls invalid
        return HexFormat.of().formatHex(random);
    }
}
