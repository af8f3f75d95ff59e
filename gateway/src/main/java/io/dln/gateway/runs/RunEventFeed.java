package io.dln.gateway.runs;

import java.util.ArrayList;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;
import io.dln.messages.InvalidMessageException;
import io.dln.messages.MessageCodec;
import io.dln.messages.RunEvent;
import io.dln.messages.Topics;
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
 * <p>
 * A raw consumer rather than an incoming channel: a stream resumed from a client's Last-Event-ID needs the feed to
 * assign every partition itself, without a group, and to read back from chosen offsets, which the connector does not
 * offer (it subscribes in a group and commits).
 */
@ApplicationScoped
public class RunEventFeed {

    private static final Logger LOG = Logger.getLogger(RunEventFeed.class);
    private static final int MAX_REPLAYED = 10_000;
    private static final Duration REPLAY_TIME = Duration.ofSeconds(10);

    private final String bootstrap;
    private final String topic;
    private final Map<String, Set<Consumer<FeedEvent>>> subscribers = new ConcurrentHashMap<>();
    /** The offset of the last record read, per partition: the position a new stream's state is at. */
    private final Map<Integer, Long> lastRead = new ConcurrentHashMap<>();
    private volatile int partitionCount;
    private volatile boolean running;
    private volatile boolean positioned;
    private volatile KafkaConsumer<String, String> consumer;
    private Thread thread;

    public RunEventFeed(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
        this.bootstrap = bootstrap;
        this.topic = Topics.RUN_EVENTS;
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
    public AutoCloseable subscribe(String runId, Consumer<FeedEvent> listener) {
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
                // seekToEnd is lazy; resolve it before saying we are positioned
                partitions.forEach(tp -> lastRead.put(tp.partition(), c.position(tp) - 1));
                partitionCount = partitions.size();
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

    /**
     * The SSE id of "now" for the run: the last record read from the run's partition (a run's events are keyed by its
     * id, so they are all in one partition), or null before the feed has read the topic.
     */
    public String positionOf(String runId) {
        int partitions = partitionCount;
        if (partitions == 0) return null;
        int partition = Utils.toPositive(Utils.murmur2(runId.getBytes(StandardCharsets.UTF_8))) % partitions;
        Long offset = lastRead.get(partition);
        return offset == null ? null : FeedEvent.id(partition, offset);
    }

    /**
     * The run's events after the SSE id {@code lastEventId}, read back from the topic up to its end as it is now (at
     * most {@code MAX_REPLAYED} of them, for at most {@code REPLAY_TIME}); empty when the id is not one of ours or
     * the topic no longer holds them.
     */
    public List<FeedEvent> replay(String runId, String lastEventId) {
        FeedEvent.Position from = FeedEvent.parse(lastEventId);
        if (from == null) return List.of();
        List<FeedEvent> events = new ArrayList<>();
        TopicPartition partition = new TopicPartition(topic, from.partition());
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.CLIENT_ID_CONFIG, "gateway-run-events-replay-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            c.assign(List.of(partition));
            long end = c.endOffsets(List.of(partition), REPLAY_TIME).getOrDefault(partition, 0L);
            if (from.offset() + 1 >= end) return List.of();
            c.seek(partition, from.offset() + 1);
            long deadline = System.nanoTime() + REPLAY_TIME.toNanos();
            while (c.position(partition) < end && System.nanoTime() < deadline && events.size() < MAX_REPLAYED) {
                for (ConsumerRecord<String, String> record : c.poll(Duration.ofMillis(200))) {
                    if (record.offset() >= end) break;
                    FeedEvent event = read(record);
                    if (event != null && runId.equals(runIdOf(event, record))) events.add(event);
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf("cannot replay the events of run %s from %s: %s", runId, lastEventId, e.getMessage());
        }
        return events;
    }

    private static FeedEvent read(ConsumerRecord<String, String> record) {
        try {
            return new FeedEvent(MessageCodec.fromJson(record.value(), RunEvent.class), record.partition(), record.offset());
        } catch (InvalidMessageException e) {
            LOG.debugf("skipping an unreadable run event at %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), e.getMessage());
            return null;
        }
    }

    private static String runIdOf(FeedEvent event, ConsumerRecord<String, String> record) {
        return event.event().runId() != null ? event.event().runId() : record.key();
    }

    private void dispatch(ConsumerRecord<String, String> record) {
        lastRead.put(record.partition(), record.offset());
        if (subscribers.isEmpty()) return;
        FeedEvent event = read(record);
        if (event == null) return;
        String runId = runIdOf(event, record);
        Set<Consumer<FeedEvent>> listeners = subscribers.get(runId);
        if (listeners == null) return;
        for (Consumer<FeedEvent> listener : listeners) {
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
