package io.dln.worker.results;

import io.dln.messages.LlmRequest;
import io.dln.messages.LlmResult;
import io.dln.messages.MessageCodec;
import io.dln.messages.Topics;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Publishes results to {@code dln.results}, keyed by run id, at the partition the request asked for: the one the
 * trainer owning the run reads.
 * <p>
 * The channel (its topic, serializers, acks, the broker's security settings) is SmallRye's, but a result goes
 * straight to the channel's Kafka producer from the calling virtual thread. Through the emitter, SmallRye first moves
 * every send to a sending thread of its own, since {@code KafkaProducer.send} may block; a virtual thread may block,
 * and that extra wake-up cost 0.4–0.6 ms of each request's round trip (README, "Earlier changes").
 * SmallRye's outgoing interceptors are skipped with it: no producer span is made for a result (the trainer reads results
 * outside any trace).
 */
@ApplicationScoped
public class ResultPublisher {

    /** Declares the channel, so SmallRye makes and configures its producer; used itself only if that is not there. */
    @Inject
    @Channel(Topics.RESULTS)
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 1024)
    MutinyEmitter<byte[]> channel;

    @Inject
    KafkaClientService clients;

    @ConfigProperty(name = "mp.messaging.outgoing.\"" + Topics.RESULTS + "\".topic", defaultValue = Topics.RESULTS)
    String topic;

    /** The channel's Kafka producer, looked up once it exists. */
    private volatile Producer<String, byte[]> producer;

    /** Blocks (call it on a virtual thread) until the broker has acknowledged the result. */
    public void publish(LlmRequest request, LlmResult result) throws InterruptedException {
        byte[] value = MessageCodec.toBytes(result);
        Producer<String, byte[]> kafka = producer();
        if (kafka == null) { // a lazily made producer: the emitter makes it
            channel.sendMessageAndAwait(Message.of(value).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                    .withKey(request.runId()).withPartition(request.replyPartition()).build()));
            return;
        }
        var acknowledged = new CompletableFuture<Void>();
        kafka.send(new ProducerRecord<>(topic, request.replyPartition(), request.runId(), value), (metadata, error) -> {
            if (error == null) acknowledged.complete(null);
            else acknowledged.completeExceptionally(error);
        });
        try {
            acknowledged.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        }
    }

    private Producer<String, byte[]> producer() {
        Producer<String, byte[]> known = producer;
        if (known == null) {
            var channelProducer = clients.<String, byte[]>getProducer(Topics.RESULTS);
            producer = known = channelProducer == null ? null : channelProducer.unwrap();
        }
        return known;
    }
}
