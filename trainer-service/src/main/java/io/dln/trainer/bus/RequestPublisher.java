package io.dln.trainer.bus;

import io.dln.messages.LlmRequest;
import io.dln.messages.MessageCodec;
import io.dln.messages.Operation;
import io.dln.messages.RunEvent;
import io.dln.messages.Topics;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Request messages and run events out, through SmallRye channels (requests straight to their channel's Kafka producer,
 * see below); channel names are the topics. A bean of its own, made at the first publish, so the trainer's scheduled
 * tasks never ask for an emitter before messaging is wired.
 */
@ApplicationScoped
public class RequestPublisher {

    @Inject
    @Channel(Topics.GENERATE_REQUESTS)
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 8192)
    MutinyEmitter<byte[]> generateRequests;

    @Inject
    @Channel(Topics.SCORE_REQUESTS)
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 8192)
    MutinyEmitter<byte[]> scoreRequests;

    @Inject
    @Channel(Topics.RUN_EVENTS)
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 1024)
    MutinyEmitter<byte[]> runEvents;

    @Inject
    KafkaClientService clients;

    /** The topics the request channels write to: their {@code topic} attribute, else their name. */
    @ConfigProperty(name = "mp.messaging.outgoing.\"" + Topics.GENERATE_REQUESTS + "\".topic",
            defaultValue = Topics.GENERATE_REQUESTS)
    String generateTopic;

    @ConfigProperty(name = "mp.messaging.outgoing.\"" + Topics.SCORE_REQUESTS + "\".topic",
            defaultValue = Topics.SCORE_REQUESTS)
    String scoreTopic;

    /** Each request channel's Kafka producer, looked up once it exists. */
    private final Map<String, Producer<String, byte[]>> producers = new ConcurrentHashMap<>();

    /**
     * To {@code partition} of the operation's topic, keyed by {@code key}, with {@code headers} (the step's trace
     * context: the request channels' own tracing is off, because a batch is published from whichever thread completed
     * the phase before it, not from the step's span); {@code failed} hears why if the broker refuses it.
     * <p>
     * The record goes straight to the channel's Kafka producer on the calling thread (it only appends to the producer's
     * buffer): through the emitter, SmallRye moves every send to a sending thread of its own first, one more wake-up
     * before each phase's requests leave. The emitter remains what declares the channel and its configuration.
     */
    void publish(LlmRequest message, int partition, String key, Headers headers, Consumer<Throwable> failed) {
        boolean generate = message.operation() == Operation.GENERATE;
        byte[] value = MessageCodec.toBytes(message);
        Producer<String, byte[]> kafka = producer(generate ? Topics.GENERATE_REQUESTS : Topics.SCORE_REQUESTS);
        if (kafka == null) { // a lazily made producer: the emitter makes it
            var metadata = OutgoingKafkaRecordMetadata.<String>builder().withKey(key).withPartition(partition)
                    .withHeaders(headers).build();
            (generate ? generateRequests : scoreRequests).sendMessageAndForget(Message.of(value).addMetadata(metadata)
                    .withNack(error -> {
                        failed.accept(error);
                        return CompletableFuture.completedFuture(null);
                    }));
            return;
        }
        try {
            var record = new ProducerRecord<>(generate ? generateTopic : scoreTopic, partition, key, value, headers);
            kafka.send(record, (metadata, error) -> {
                // not on the producer's I/O thread: failing the calls runs what waited for them
                if (error != null) Thread.startVirtualThread(() -> failed.accept(error));
            });
        } catch (RuntimeException e) {
            failed.accept(e);
        }
    }

    private Producer<String, byte[]> producer(String channel) {
        return producers.computeIfAbsent(channel, c -> {
            var producer = clients.<String, byte[]>getProducer(c);
            return producer == null ? null : producer.unwrap();
        });
    }

    void publish(RunEvent event) {
        runEvents.sendMessageAndForget(Message.of(MessageCodec.toBytes(event))
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(event.runId()).build()));
    }
}
