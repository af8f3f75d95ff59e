package io.dln.scorer;

import io.dln.messages.Topics;
import io.dln.testkit.KafkaBroker;
import io.dln.testkit.KafkaTestClient;
import io.dln.testkit.SimulatorProcess;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;
import java.util.UUID;

/**
 * The real broker and a simulator process of its own (so its request counter counts this service's calls only).
 * The service joins a consumer group of its own, started at the current end of the request topic, so it neither
 * replays old records nor shares partitions with scorer processes other tests may run.
 */
public class KafkaAndSimulator implements QuarkusTestResourceLifecycleManager {

    static String bootstrap;
    /** Results of this test's service carry it; other replicas on the shared broker may answer the same requests. */
    static final String WORKER_ID = "scorer-test-" + UUID.randomUUID();
    static String simulatorUrl;
    private SimulatorProcess simulator;

    @Override
    public Map<String, String> start() {
        bootstrap = KafkaBroker.ensureRunning();
        simulator = SimulatorProcess.start(Map.of());
        simulatorUrl = simulator.baseUrl();
        String group = "scorer-service-test-" + UUID.randomUUID();
        try (var kafka = new KafkaTestClient(bootstrap)) {
            kafka.startGroupAtEnd(group, Topics.SCORE_REQUESTS);
        }
        return Map.of(
                "kafka.bootstrap.servers", bootstrap,
                "dln.worker.id", WORKER_ID,
                "dln.backends.simulator.base-url", simulator.baseUrl(),
                "mp.messaging.incoming.\"dln.score.requests\".group.id", group);
    }

    @Override
    public void stop() {
        if (simulator != null) simulator.close();
    }
}
