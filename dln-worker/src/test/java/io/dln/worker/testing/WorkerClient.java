package io.dln.worker.testing;

import io.dln.messages.LlmRequest;
import io.dln.messages.LlmResult;
import io.dln.messages.MessageCodec;
import io.dln.messages.Topics;
import io.dln.testkit.KafkaTestClient;
import io.dln.testkit.KafkaTestClient.PartitionReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A test's side of the worker service under test (started by a {@link KafkaAndSimulatorResource}): publishes to its
 * request topic, reads its results on the reply partition and the reasons it dead-letters records with. A JUnit
 * extension ({@code @RegisterExtension}): before each test it connects and draws a new run id; after, it closes.
 */
public final class WorkerClient implements BeforeEachCallback, AfterEachCallback {

    public static final Duration WAIT = Duration.ofSeconds(60);

    private final String runPrefix;
    private final String requestTopic;
    private final String deadLetterTopic;
    private final int replyPartition;
    private final Function<LlmRequest, String> key;
    private KafkaTestClient kafka;
    private String runId;

    /**
     * @param runPrefix       run ids start with it
     * @param requestTopic    what the worker consumes
     * @param deadLetterTopic where it dead-letters records
     * @param replyPartition  the partition of {@code dln.results} the tests' requests ask for
     * @param key             the record key {@link #publish} sends a request under
     */
    public WorkerClient(String runPrefix, String requestTopic, String deadLetterTopic, int replyPartition,
                        Function<LlmRequest, String> key) {
        this.runPrefix = runPrefix;
        this.requestTopic = requestTopic;
        this.deadLetterTopic = deadLetterTopic;
        this.replyPartition = replyPartition;
        this.key = key;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        kafka = new KafkaTestClient(KafkaAndSimulatorResource.bootstrap);
        runId = runPrefix + UUID.randomUUID();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (kafka != null) kafka.close();
    }

    /** This test's run: the key of its results. */
    public String runId() {
        return runId;
    }

    public KafkaTestClient kafka() {
        return kafka;
    }

    /** A reader of the reply partition from its current end. */
    public PartitionReader replies() {
        return kafka.readFromEnd(Topics.RESULTS, replyPartition);
    }

    /** To the request topic, under the key this service's requests carry. */
    public void publish(LlmRequest request) {
        send(key.apply(request), MessageCodec.toJson(request));
    }

    /** Any record to the request topic. */
    public void send(String recordKey, String value) {
        kafka.send(requestTopic, recordKey, value);
    }

    /** This service's result of each request, by request id. */
    public Map<String, ConsumerRecord<String, String>> awaitResults(PartitionReader replies, Collection<LlmRequest> requests) {
        Map<String, ConsumerRecord<String, String>> byId = new HashMap<>();
        replies.readUntil(records -> {
            for (var r : records) {
                if (!runId.equals(r.key())) continue;
                LlmResult result = MessageCodec.fromJson(r.value(), LlmResult.class);
                if (KafkaAndSimulatorResource.workerId.equals(result.worker())) byId.putIfAbsent(result.requestId(), r);
            }
            return requests.stream().allMatch(q -> byId.containsKey(q.requestId()));
        }, WAIT);
        for (LlmRequest q : requests) assertNotNull(byId.get(q.requestId()), "no result for " + q.requestId());
        return byId;
    }

    /** The result of {@code request} among {@code records}. */
    public static LlmResult result(Map<String, ConsumerRecord<String, String>> records, LlmRequest request) {
        return MessageCodec.fromJson(records.get(request.requestId()).value(), LlmResult.class);
    }

    /** The result of {@code request}, asserted OK and delivered on the reply partition under the run id. */
    public LlmResult okResult(Map<String, ConsumerRecord<String, String>> records, LlmRequest request) {
        ConsumerRecord<String, String> record = records.get(request.requestId());
        assertEquals(replyPartition, record.partition());
        assertEquals(runId, record.key());
        LlmResult result = MessageCodec.fromJson(record.value(), LlmResult.class);
        assertTrue(result.ok(), () -> "expected OK, got " + result);
        return result;
    }

    /**
     * Publishes {@code expired} and then {@code valid}; asserts that valid is answered, that expired gets no result
     * within 2 s, and that {@code dln_worker_expired_total} of its operation counts it.
     */
    public void assertDropsExpiredAndServesNext(LlmRequest expired, LlmRequest valid) {
        String operation = "operation=" + expired.operation().name().toLowerCase(Locale.ROOT);
        double expiredBefore = Metrics.sum("dln_worker_expired_total", operation);
        try (PartitionReader replies = replies()) {
            publish(expired);
            publish(valid);
            awaitResults(replies, List.of(valid));
            List<ConsumerRecord<String, String>> more = replies.readFor(Duration.ofSeconds(2));
            assertTrue(more.stream().noneMatch(r -> r.value().contains(expired.requestId())), "the expired request got a result");
        }
        Metrics.awaitAtLeast("dln_worker_expired_total", expiredBefore + 1, operation);
    }

    /**
     * Sends {@code garbage} under {@code garbageKey}, then each of {@code unservable} under its request id, then
     * publishes {@code valid}; once valid is answered, reads the dead-letter topic until each of the others is there
     * and returns their {@code dead-letter-reason} headers by record key. Other replicas on the shared broker may
     * dead-letter the same records: all their reasons are kept, joined with " | ".
     */
    public Map<String, String> deadLetterReasons(String garbageKey, String garbage, List<LlmRequest> unservable,
                                                 LlmRequest valid) {
        try (PartitionReader dlq = kafka.readFromEnd(deadLetterTopic, 0);
             PartitionReader replies = replies()) {
            send(garbageKey, garbage);
            unservable.forEach(q -> send(q.requestId(), MessageCodec.toJson(q)));
            publish(valid);
            awaitResults(replies, List.of(valid));

            List<String> keys = new ArrayList<>(List.of(garbageKey));
            unservable.forEach(q -> keys.add(q.requestId()));
            Map<String, String> reasons = new HashMap<>();
            dlq.readUntil(records -> {
                reasons.clear();
                records.stream().filter(r -> keys.contains(r.key()))
                        .forEach(r -> reasons.merge(r.key(), header(r, "dead-letter-reason"), (a, b) -> a + " | " + b));
                return reasons.keySet().containsAll(keys);
            }, WAIT);
            return reasons;
        }
    }

    /** A deadline two minutes from now. */
    public static long inTwoMinutes() {
        return System.currentTimeMillis() + 120_000;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
