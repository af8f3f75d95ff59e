package io.dln.trainer.bus;

import io.micrometer.core.instrument.Gauge;
import io.dln.messages.LlmRequest;
import io.dln.messages.LlmResult;
import io.dln.messages.MessageCodec;
import io.dln.messages.RunEvent;
import io.dln.messages.Topics;
import io.dln.trainer.config.InstanceId;
import io.dln.trainer.config.TrainerConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The trainer's side of Kafka: publishes LLM requests (keyed by content, so repeats meet the same
 * worker and its cache), reads the results of this trainer's partition, re-sends requests that time
 * out, and drops duplicate results. Run events go out through the same producer.
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
    private KafkaProducer<String, String> producer;
    private KafkaConsumer<String, String> consumer;
    private Thread reader;
    private volatile boolean running;

    public RequestBus(TrainerConfig config, ResultsSlot slot, InstanceId instanceId, MeterRegistry registry,
                      @ConfigProperty(name = "kafka.bootstrap.servers", defaultValue = "localhost:9092") String bootstrap) {
        this.config = config;
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
        producer = new KafkaProducer<>(Map.of(
                "bootstrap.servers", bootstrap,
                "linger.ms", 0,
                "acks", "all",
                "enable.idempotence", true,
                "client.id", owner + "-requests"), new StringSerializer(), new StringSerializer());
        consumer = new KafkaConsumer<>(Map.of(
                "bootstrap.servers", bootstrap,
                "enable.auto.commit", false,
                "client.id", owner + "-results",
                "fetch.max.wait.ms", 100), new StringDeserializer(), new StringDeserializer());
        TopicPartition results = new TopicPartition(Topics.RESULTS, partition);
        consumer.assign(List.of(results));
        consumer.seekToEnd(List.of(results));
        consumer.position(results);
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
        if (producer != null) producer.close(Duration.ofSeconds(2));
    }

    public int replyPartition() {
        return slot.partition();
    }

    /** Sends a request, keyed by the hash of its content, and completes with its first result. */
    public CompletableFuture<LlmResult> call(LlmRequest request, String contentKey) {
        CompletableFuture<LlmResult> future = pending.register(request);
        publish(request, contentKey);
        return future;
    }

    public void publish(RunEvent event) {
        producer.send(new ProducerRecord<>(Topics.RUN_EVENTS, event.runId(), MessageCodec.toJson(event)));
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

    private void publish(LlmRequest request, String contentKey) {
        producer.send(new ProducerRecord<>(request.operation().topic(), contentKey, MessageCodec.toJson(request)),
                (metadata, error) -> {
                    if (error != null) pending.fail(request.requestId(), error);
                });
    }

    private void readResults() {
        try {
            while (running) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    accept(record.value());
                }
            }
        } catch (WakeupException e) {
            if (running) throw e;
        } finally {
            consumer.close();
        }
    }

    private void accept(String json) {
        LlmResult result;
        try {
            result = MessageCodec.fromJson(json, LlmResult.class);
        } catch (RuntimeException e) {
            LOG.warnf("ignoring an unreadable result: %s", e.getMessage());
            return;
        }
        if (!pending.complete(result)) duplicates.increment();
    }

    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void resendOverdue() {
        long timeoutNanos = config.requestTimeout().toNanos();
        long now = System.nanoTime();
        for (PendingCalls.Pending entry : pending.all()) {
            if (now - entry.sentAtNanos() < timeoutNanos) continue;
            LlmRequest request = entry.request();
            if (request.attempt() >= config.maxAttempts()) {
                pending.fail(request.requestId(), new IllegalStateException("no result for request " + request.requestId()
                        + " after " + request.attempt() + " attempts of " + config.requestTimeout().toSeconds()
                        + " s; check that the " + (request.operation().topic().contains("score") ? "scorer" : "sampler")
                        + " service is running and can reach backend '" + request.backend() + "'"));
                continue;
            }
            LlmRequest again = request.nextAttempt(System.currentTimeMillis() + config.requestTimeout().toMillis());
            pending.resent(entry, again);
            resent.increment();
            publish(again, MessageCodec.contentKey(again));
        }
    }
}
