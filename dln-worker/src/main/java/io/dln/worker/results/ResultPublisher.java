package io.dln.worker.results;

import io.dln.messages.LlmRequest;
import io.dln.messages.LlmResult;
import io.dln.messages.MessageCodec;
import io.dln.messages.Topics;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * Publishes results to {@code dln.results}, keyed by run id, at the partition the request asked for: the one the
 * trainer owning the run reads.
 */
@ApplicationScoped
public class ResultPublisher {

    @Inject
    @Channel(Topics.RESULTS)
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 1024)
    MutinyEmitter<byte[]> results;

    /** Blocks (call it on a virtual thread) until the broker has acknowledged the result. */
    public void publish(LlmRequest request, LlmResult result) {
        var metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(request.runId())
                .withPartition(request.replyPartition())
                .build();
        results.sendMessageAndAwait(Message.of(MessageCodec.toBytes(result)).addMetadata(metadata));
    }
}
