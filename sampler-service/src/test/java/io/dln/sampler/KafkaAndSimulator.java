package io.dln.sampler;

import io.dln.messages.Topics;
import io.dln.testkit.FreePorts;
import io.dln.testkit.KafkaBroker;
import io.dln.testkit.KafkaTestClient;
import io.dln.testkit.SimulatorProcess;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;
import java.util.UUID;

/**
 * The real broker and a simulator process for the tests. The service joins a consumer group of its own, started
 * at the current end of the request topic, so it neither replays old records nor shares partitions with sampler
 * processes other tests may run.
 */
public class KafkaAndSimulator implements QuarkusTestResourceLifecycleManager {

    static String bootstrap;
    /** Results of this test's service carry it; other replicas on the shared broker may answer the same requests. */
    static final String WORKER_ID = "sampler-test-" + UUID.randomUUID();
    private SimulatorProcess simulator;

    @Override
    public Map<String, String> start() {
        bootstrap = KafkaBroker.ensureRunning();
        simulator = SimulatorProcess.start(Map.of());
        String group = "sampler-service-test-" + UUID.randomUUID();
        try (var kafka = new KafkaTestClient(bootstrap)) {
            kafka.startGroupAtEnd(group, Topics.GENERATE_REQUESTS);
        }
        return Map.of(
                "kafka.bootstrap.servers", bootstrap,
                "dln.worker.id", WORKER_ID,
                "dln.backends.simulator.base-url", simulator.baseUrl(),
                "mp.messaging.incoming.\"dln.generate.requests\".group.id", group,
                // a backend nobody answers, for the error path
                "dln.backends.down.base-url", "http://127.0.0.1:" + FreePorts.next(),
                "dln.backends.down.model", "none",
                "dln.backends.down.max-retries", "1",
                "dln.backends.down.probe-at-start", "false");
    }

    @Override
    public void stop() {
        if (simulator != null) simulator.close();
    }
}
