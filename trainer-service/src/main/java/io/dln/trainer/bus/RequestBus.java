package io.dln.trainer.bus;

import io.micrometer.core.instrument.Gauge;
import io.dln.messages.LlmRequest;
import io.dln.messages.LlmResult;
import io.dln.messages.LlmResult.CallResult;
import io.dln.messages.MessageCodec;
import io.dln.messages.RunEvent;
import io.dln.messages.Topics;
import io.dln.trainer.config.InstanceId;
import io.dln.trainer.config.TrainerConfig;
import io.dln.trainer.tracing.RequestTraceHeaders;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The trainer's side of Kafka: publishes LLM request messages (to the partition {@link KafkaLanguageModel} chose: for
 * score calls that of their content, so repeats meet the same scorer and its cache) and run events through SmallRye
 * channels ({@link RequestPublisher}), reads the results of this trainer's partition, re-sends what times out, and drops
 * duplicate results.
 */
@ApplicationScoped
public class RequestBus {

    private static final Logger LOG = Logger.getLogger(RequestBus.class);

    private final TrainerConfig config;
    private final ResultsSlot slot;
    private final String bootstrap;
    private final String owner;
    private final PendingCalls pending = new PendingCalls();
    private final Counter resent;
    private final Counter duplicates;
    private final RequestPublisher publisher;
    private final RequestTraceHeaders traceHeaders;
    /*
     * A raw consumer, not an @Incoming channel: the trainer must read exactly the one partition of dln.results its
     * lease in PostgreSQL gives it (workers send a run's results to the partition its requests name), from the end,
     * outside any consumer group, and a channel's consumer joins a group that assigns partitions by itself.
     */
    private KafkaConsumer<String, byte[]> consumer;
    private final Map<String, Integer> partitionCounts = new java.util.concurrent.ConcurrentHashMap<>();
    private Thread reader;
    private volatile boolean running;

    public RequestBus(TrainerConfig config, ResultsSlot slot, InstanceId instanceId, MeterRegistry registry,
                      @ConfigProperty(name = "kafka.bootstrap.servers", defaultValue = "localhost:9092") String bootstrap,
                      RequestPublisher publisher, RequestTraceHeaders traceHeaders) {
        this.publisher = publisher;
        this.config = config;
        this.traceHeaders = traceHeaders;
        this.slot = slot;
        this.bootstrap = bootstrap;
        this.owner = instanceId.value();
        this.resent = Counter.builder("dln.trainer.requests.resent")
                .description("LLM requests sent again after their timeout without a result").register(registry);
        this.duplicates = Counter.builder("dln.trainer.results.duplicates")
                .description("Results that arrived for a request already answered (dropped)").register(registry);
        Gauge.builder("dln.trainer.requests.inflight", pending, PendingCalls::size)
                .description("LLM requests sent and waiting for their result").register(registry);
    }

    void start(@Observes StartupEvent event) {
        int partition = slot.claim();
        // A raw consumer, not an incoming channel: this trainer owns one results partition (claimed in the database) and
        // must be assigned exactly it, outside any consumer group, so a rebalance never hands its replies to another.
        // fetch.max.wait.ms stays at its default (500): the broker answers a fetch as soon as a result arrives, so the wait
        // only sets how often an idle reader is answered empty (and the broker woken); at 100 that was 10 times a second.
        consumer = new KafkaConsumer<>(Map.of(
                "bootstrap.servers", bootstrap,
                "enable.auto.commit", false,
                "client.id", owner + "-results"), new StringDeserializer(), new ByteArrayDeserializer());
        TopicPartition results = new TopicPartition(Topics.RESULTS, partition);
        consumer.assign(List.of(results));
        consumer.seekToEnd(List.of(results));
        consumer.position(results);
        for (String topic : List.of(Topics.GENERATE_REQUESTS, Topics.SCORE_REQUESTS)) {
            partitionCounts.put(topic, consumer.partitionsFor(topic).size()); // before the reader owns the consumer
        }
        running = true;
        reader = Thread.ofPlatform().name("results-reader").daemon().start(this::readResults);
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (consumer != null) consumer.wakeup();
        if (reader != null) {
            try {
                reader.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public int replyPartition() {
        return slot.partition();
    }

    /**
     * Sends a message to partition {@code partition} of its operation's topic, keyed by {@code key}, and returns the
     * first result of each of its calls, in the message's order.
     */
    public List<CompletableFuture<CallResult>> send(LlmRequest message, int partition, String key) {
        List<CompletableFuture<CallResult>> futures = pending.register(message);
        publish(message, partition, key);
        return futures;
    }

    /** Partitions of a request topic, as the broker said at start-up. */
    public int partitions(String topic) {
        Integer count = partitionCounts.get(topic);
        if (count == null) throw new IllegalArgumentException("not a request topic: " + topic);
        return count;
    }

    public void publish(RunEvent event) {
        publisher.publish(event);
    }

    /** Fails every outstanding call of the run with {@code reason}: whatever waits for them stops now. */
    public void abandonRun(String runId, Throwable reason) {
        pending.failRun(runId, reason);
    }

    /** The run is no longer trained here: its outstanding calls fail and its progress is forgotten. */
    public void forgetRun(String runId) {
        pending.forgetRun(runId);
    }

    /** Runs trained here whose calls are outstanding and have had no answer for {@code bound} or longer. */
    public Set<String> stalledRuns(Duration bound) {
        return pending.stalledRuns(System.nanoTime(), bound.toNanos());
    }

    private void publish(LlmRequest message, int partition, String key) {
        publisher.publish(message, partition, key, traceHeaders.of(message.runId()),
                error -> message.calls().forEach(call -> pending.fail(call.id(), error)));
    }

    private void readResults() {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    accept(record.value());
                }
            }
        } catch (WakeupException e) {
            if (running) throw e;
        } finally {
            consumer.close();
        }
    }

    private void accept(byte[] json) {
        LlmResult result;
        try {
            result = MessageCodec.fromBytes(json, LlmResult.class);
        } catch (RuntimeException e) {
            LOG.warnf("ignoring an unreadable result: %s", e.getMessage());
            return;
        }
        for (CallResult call : result.results()) {
            if (!pending.complete(call)) duplicates.increment();
        }
    }

    /**
     * Re-sends what has had no answer within the request timeout: per message, only its calls still unanswered, as one
     * message at the next attempt, to the partition of its first call's content (a score message's own; any partition
     * serves a generation). A call out of attempts fails.
     */
    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void resendOverdue() {
        long timeoutNanos = config.requestTimeout().toNanos();
        long now = System.nanoTime();
        Map<LlmRequest, List<PendingCalls.Pending>> overdue = new java.util.LinkedHashMap<>();
        for (PendingCalls.Pending entry : pending.all()) {
            if (now - entry.sentAtNanos() >= timeoutNanos) overdue.computeIfAbsent(entry.message(), m -> new java.util.ArrayList<>()).add(entry);
        }
        overdue.forEach((message, entries) -> {
            if (message.attempt() >= config.maxAttempts()) {
                entries.forEach(entry -> pending.fail(entry.call().id(), new IllegalStateException("no result for call " + entry.call().id()
                        + " of request " + message.requestId() + " after " + message.attempt() + " attempts of "
                        + config.requestTimeout().toSeconds() + " s; check that the "
                        + (message.operation().topic().contains("score") ? "scorer" : "sampler")
                        + " service is running and can reach backend '" + message.backend() + "'")));
                return;
            }
            LlmRequest again = message.resend(entries.stream().map(PendingCalls.Pending::call).toList(),
                    System.currentTimeMillis() + config.requestTimeout().toMillis());
            entries.forEach(entry -> pending.resent(entry, again, System.nanoTime()));
            resent.increment(entries.size());
            String key = MessageCodec.contentKey(again.backend(), again.operation(), again.calls().getFirst().payload(again.operation()));
            publish(again, MessageCodec.partitionOf(key, partitions(again.operation().topic())), key);
        });
    }
}
