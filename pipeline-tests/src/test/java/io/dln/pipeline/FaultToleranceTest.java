package io.dln.pipeline;

import io.dln.core.model.DlnSettings;
import io.dln.core.model.NetworkPrompts;
import io.dln.messages.Topics;
import io.dln.testkit.ServiceProcess;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A backend failing 10% of calls with 500, 5% with 429 and hanging on some: the run still finishes,
 * with the same prompts, and the workers' retry metrics show the faults. A poison message goes to the
 * dead-letter topic while the run goes on.
 */
@ExtendWith(PipelineExtension.class)
class FaultToleranceTest {

    static final DlnSettings SETTINGS = DlnSettings.builder().layers(1).iterations(3).batchSize(8).pSamples(3)
            .validateEvery(1).build();

    @Test
    void aRunOnAFaultyBackendFinishesAndPoisonGoesToTheDeadLetterTopic(Pipeline pipeline) throws Exception {
        pipeline.sharedTrainer();
        try (KafkaConsumer<String, String> dlq = deadLetterReader(pipeline.bootstrap)) {
            Scenario scenario = Scenario.generated("sum-parity", 30, 30, 30, SETTINGS, 41);
            UUID run = scenario.start(Pipeline.FAULTY_BACKEND);
            String poisonId = UUID.randomUUID().toString();
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", pipeline.bootstrap),
                    new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>(Topics.SCORE_REQUESTS, poisonId, "{this is not a request " + poisonId)).get();
            }
            List<NetworkPrompts> reference = scenario.reference(pipeline.simulator.baseUrl());

            Runs.awaitSuccess(run, Duration.ofMinutes(4));
            Runs.assertSameAsReference(run, reference);
            assertTrue(deadLettered(dlq, poisonId, Duration.ofSeconds(30)), "the poison message reached " + Topics.SCORE_REQUESTS_DLQ);
            double retries = metric(pipeline.scorer, "dln_llm_retries_total", Pipeline.FAULTY_BACKEND)
                    + metric(pipeline.sampler, "dln_llm_retries_total", Pipeline.FAULTY_BACKEND);
            assertTrue(retries > 0, "retries on the faulty backend are counted, was " + retries);
        }
    }

    private static KafkaConsumer<String, String> deadLetterReader(String bootstrap) {
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap,
                "enable.auto.commit", false), new StringDeserializer(), new StringDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.SCORE_REQUESTS_DLQ).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        return consumer;
    }

    private static boolean deadLettered(KafkaConsumer<String, String> consumer, String poisonId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                if (record.value() != null && record.value().contains(poisonId)) return true;
            }
        }
        return false;
    }

    /** Sum of a Prometheus counter's samples whose labels mention {@code backend}. */
    static double metric(ServiceProcess service, String name, String backend) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(service.baseUrl() + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        // a sample may end in a trace exemplar (" # {trace_id=...} value timestamp") when tracing is on
        Matcher m = Pattern.compile("^" + name + "\\{([^}]*)\\} ([0-9.eE+-]+)(?: # .*)?$", Pattern.MULTILINE).matcher(response.body());
        double total = 0;
        while (m.find()) {
            if (m.group(1).contains("\"" + backend + "\"")) total += Double.parseDouble(m.group(2));
        }
        return total;
    }
}
