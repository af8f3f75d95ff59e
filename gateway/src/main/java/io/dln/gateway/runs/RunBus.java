package io.dln.gateway.runs;

import io.dln.messages.MessageCodec;
import io.dln.messages.RunCommand;
import io.dln.messages.RunEvent;
import io.dln.messages.Topics;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

import java.util.concurrent.CompletableFuture;

/**
 * Publishes run commands for the trainers and, for runs the gateway ends itself (a queued run cancelled), their
 * final event, through emitters keyed by run id; channel names are the topics, and the connector carries the
 * request's trace context in the record headers. Best effort: the database is the truth, the trainers poll it; a
 * message lost only delays them, so a request never waits for the broker.
 */
@ApplicationScoped
public class RunBus {

    private static final Logger LOG = Logger.getLogger(RunBus.class);

    @Inject
    @Channel(Topics.RUN_COMMANDS)
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 1024)
    MutinyEmitter<byte[]> commands;

    @Inject
    @Channel(Topics.RUN_EVENTS)
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 1024)
    MutinyEmitter<byte[]> events;

    public void command(String runId, RunCommand.Type type, String requestedBy) {
        send(commands, Topics.RUN_COMMANDS, runId, MessageCodec.toBytes(new RunCommand(runId, type, requestedBy)));
    }

    public void event(RunEvent event) {
        send(events, Topics.RUN_EVENTS, event.runId(), MessageCodec.toBytes(event));
    }

    private static void send(MutinyEmitter<byte[]> emitter, String topic, String runId, byte[] payload) {
        Message<byte[]> message = Message.of(payload)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(runId).build())
                .withNack(error -> {
                    LOG.warnf("could not publish to %s for run %s: %s", topic, runId, error.getMessage());
                    return CompletableFuture.completedFuture(null);
                });
        try {
            emitter.sendMessageAndForget(message);
        } catch (RuntimeException e) { // the channel is down or its buffer full: the trainers will read the database
            LOG.warnf("could not publish to %s for run %s: %s", topic, runId, e.getMessage());
        }
    }
}
