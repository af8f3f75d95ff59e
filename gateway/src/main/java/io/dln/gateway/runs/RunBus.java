package io.dln.gateway.runs;

import io.dln.gateway.common.GatewayConfig;
import io.dln.messages.MessageCodec;
import io.dln.messages.RunCommand;
import io.dln.messages.RunEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Map;

/**
 * Publishes run commands for the trainers and, for runs the gateway ends itself (a queued run cancelled), their
 * final event. Best effort: the database is the truth, the trainers poll it; a message lost only delays them.
 */
@ApplicationScoped
public class RunBus {

    private static final Logger LOG = Logger.getLogger(RunBus.class);

    private final String bootstrap;
    private final GatewayConfig.Events config;
    private volatile Producer<String, String> producer;

    public RunBus(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap, GatewayConfig config) {
        this.bootstrap = bootstrap;
        this.config = config.events();
    }

    public void command(String runId, RunCommand.Type type, String requestedBy) {
        send(config.commandsTopic(), runId, MessageCodec.toJson(new RunCommand(runId, type, requestedBy)));
    }

    public void event(RunEvent event) {
        send(config.topic(), event.runId(), MessageCodec.toJson(event));
    }

    private void send(String topic, String key, String json) {
        try {
            producer().send(new ProducerRecord<>(topic, key, json), (metadata, error) -> {
                if (error != null) LOG.warnf("could not publish to %s for run %s: %s", topic, key, error.getMessage());
            });
        } catch (RuntimeException e) {
            LOG.warnf("could not publish to %s for run %s: %s", topic, key, e.getMessage());
        }
    }

    private Producer<String, String> producer() {
        Producer<String, String> p = producer;
        if (p == null) {
            synchronized (this) {
                if (producer == null) {
                    producer = new KafkaProducer<>(Map.of(
                            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                            ProducerConfig.CLIENT_ID_CONFIG, "gateway-run-bus",
                            ProducerConfig.LINGER_MS_CONFIG, 0,
                            // a request must not hang for a minute when Kafka is away
                            ProducerConfig.MAX_BLOCK_MS_CONFIG, 3_000),
                            new StringSerializer(), new StringSerializer());
                }
                p = producer;
            }
        }
        return p;
    }

    @PreDestroy
    void close() {
        if (producer != null) producer.close(Duration.ofSeconds(5));
    }
}
