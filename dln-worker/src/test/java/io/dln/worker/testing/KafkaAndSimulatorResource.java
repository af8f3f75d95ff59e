package io.dln.worker.testing;

import io.dln.testkit.KafkaBroker;
import io.dln.testkit.KafkaTestClient;
import io.dln.testkit.SimulatorProcess;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The real broker and a simulator process of its own (so its request counter counts this service's calls only)
 * for a worker service's tests. The service joins a consumer group of its own, started at the current end of its
 * request topic, so it neither replays old records nor shares partitions with processes of the same service other
 * tests may run. Each service's tests name theirs in a subclass.
 */
public abstract class KafkaAndSimulatorResource implements QuarkusTestResourceLifecycleManager {

    /** The broker, once started. */
    public static volatile String bootstrap;
    /** The simulator's base URL, once started. */
    public static volatile String simulatorUrl;
    /** Results of this test's service carry it; other replicas on the shared broker may answer the same requests. */
    public static volatile String workerId;

    private final String service;
    private final String requestTopic;
    private SimulatorProcess simulator;

    /** {@code service}: "sampler", "scorer"; {@code requestTopic}: the channel its worker consumes. */
    protected KafkaAndSimulatorResource(String service, String requestTopic) {
        this.service = service;
        this.requestTopic = requestTopic;
    }

    /** Configuration of the service under test beyond the broker, worker id, simulator backend and group. */
    protected Map<String, String> moreConfig() {
        return Map.of();
    }

    @Override
    public Map<String, String> start() {
        bootstrap = KafkaBroker.ensureRunning();
        workerId = service + "-test-" + UUID.randomUUID();
        simulator = SimulatorProcess.start(Map.of());
        simulatorUrl = simulator.baseUrl();
        String group = service + "-service-test-" + UUID.randomUUID();
        try (var kafka = new KafkaTestClient(bootstrap)) {
            kafka.startGroupAtEnd(group, requestTopic);
        }
        Map<String, String> config = new HashMap<>(moreConfig());
        config.put("kafka.bootstrap.servers", bootstrap);
        config.put("dln.worker.id", workerId);
        config.put("dln.backends.simulator.base-url", simulator.baseUrl());
        config.put("mp.messaging.incoming.\"" + requestTopic + "\".group.id", group);
        return config;
    }

    @Override
    public void stop() {
        if (simulator != null) simulator.close();
    }
}
