package io.dln.trainer.bus;

import io.dln.messages.LlmRequest;
import io.dln.messages.MessageCodec;
import io.dln.messages.Operation;
import io.dln.messages.RunEvent;
import io.dln.messages.Topics;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Request messages and run events out, through emitters; channel names are the topics. A bean of its own, made at
 * the first publish, so the trainer's scheduled tasks never ask for an emitter before messaging is wired.
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

    /**
     * To {@code partition} of the operation's topic, keyed by {@code key}, with {@code headers} (the step's trace
     * context: the request channels' own tracing is off, because a batch is published from whichever thread completed
     * the phase before it, not from the step's span); {@code failed} hears why if the broker refuses it.
     */
    void publish(LlmRequest message, int partition, String key, Headers headers, Consumer<Throwable> failed) {
        var metadata = OutgoingKafkaRecordMetadata.<String>builder().withKey(key).withPartition(partition)
                .withHeaders(headers).build();
        MutinyEmitter<byte[]> emitter = message.operation() == Operation.GENERATE ? generateRequests : scoreRequests;
        emitter.sendMessageAndForget(Message.of(MessageCodec.toBytes(message)).addMetadata(metadata)
                .withNack(error -> {
                    failed.accept(error);
                    return CompletableFuture.completedFuture(null);
                }));
    }

    void publish(RunEvent event) {
        runEvents.sendMessageAndForget(Message.of(MessageCodec.toBytes(event))
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(event.runId()).build()));
    }
}
