package io.dln.gateway.runs;

import io.dln.gateway.common.GatewayConfig;
import io.dln.messages.InvalidMessageException;
import io.dln.messages.MessageCodec;
import io.dln.messages.RunEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Reads every partition of the run events topic from its end (no consumer group: each gateway instance sees every
 * event) and hands each event to the subscribers of its run.
 */
@ApplicationScoped
public class RunEventFeed {

    private static final Logger LOG = Logger.getLogger(RunEventFeed.class);

    private final String bootstrap;
    private final String topic;
    private final Map<String, Set<Consumer<RunEvent>>> subscribers = new ConcurrentHashMap<>();
    private volatile boolean running;
    private volatile boolean positioned;
    private volatile KafkaConsumer<String, String> consumer;
    private Thread thread;

    public RunEventFeed(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap, GatewayConfig config) {
        this.bootstrap = bootstrap;
        this.topic = config.events().topic();
    }

    void start(@Observes StartupEvent event) {
        running = true;
        thread = Thread.ofPlatform().daemon().name("run-events-feed").start(this::loop);
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        KafkaConsumer<String, String> c = consumer;
        if (c != null) c.wakeup();
        if (thread != null) thread.join(5_000);
    }

    /** Whether the feed reads the topic, so that events published from now on reach subscribers. */
    public boolean positioned() {
        return positioned;
    }

    /** Calls {@code listener} with each event of the run until the returned handle is closed. */
    public AutoCloseable subscribe(String runId, Consumer<RunEvent> listener) {
        subscribers.computeIfAbsent(runId, k -> ConcurrentHashMap.newKeySet()).add(listener);
        return () -> subscribers.computeIfPresent(runId, (k, set) -> {
            set.remove(listener);
            return set.isEmpty() ? null : set;
        });
    }

    private void loop() {
        while (running) {
            try (KafkaConsumer<String, String> c = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ConsumerConfig.CLIENT_ID_CONFIG, "gateway-run-events-" + UUID.randomUUID(),
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest"), new StringDeserializer(), new StringDeserializer())) {
                consumer = c;
                List<PartitionInfo> infos = c.partitionsFor(topic, Duration.ofSeconds(10));
                if (infos == null || infos.isEmpty()) throw new IllegalStateException("topic " + topic + " has no partitions");
                List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
                c.assign(partitions);
                c.seekToEnd(partitions);
                partitions.forEach(c::position); // seekToEnd is lazy; resolve it before saying we are positioned
                positioned = true;
                LOG.infof("following %s (%d partitions)", topic, partitions.size());
                while (running) {
                    for (ConsumerRecord<String, String> record : c.poll(Duration.ofMillis(500))) dispatch(record);
                }
            } catch (WakeupException e) {
                // stopping
            } catch (RuntimeException e) {
                positioned = false;
                if (!running) break;
                LOG.warnf("cannot read %s at %s (%s); trying again", topic, bootstrap, e.getMessage());
                sleep(2_000);
            } finally {
                consumer = null;
            }
        }
        positioned = false;
    }

    private void dispatch(ConsumerRecord<String, String> record) {
        if (subscribers.isEmpty()) return;
        RunEvent event;
        try {
            event = MessageCodec.fromJson(record.value(), RunEvent.class);
        } catch (InvalidMessageException e) {
            LOG.debugf("skipping an unreadable run event at %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), e.getMessage());
            return;
        }
        String runId = event.runId() != null ? event.runId() : record.key();
        Set<Consumer<RunEvent>> listeners = subscribers.get(runId);
        if (listeners == null) return;
        for (Consumer<RunEvent> listener : listeners) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                LOG.debugf("a subscriber of run %s failed: %s", runId, e.getMessage());
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
