package io.dln.gateway.support;

import io.dln.testkit.KafkaBroker;
import io.dln.testkit.ServiceProcess;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * What the gateway's tests run against besides PostgreSQL: the shared Kafka broker and an LLM simulator that demands
 * the key in DLN_TEST_BACKEND_KEY (set by surefire), so tests can check the key never leaks.
 */
public class GatewayTestResources implements QuarkusTestResourceLifecycleManager {

    public static final String BACKEND_KEY_ENV = "DLN_TEST_BACKEND_KEY";

    private static volatile String simulatorUrl;
    private static volatile String pacedSimulatorUrl;
    private static volatile long simulatorPid;
    private ServiceProcess simulator;
    private ServiceProcess pacedSimulator;

    @Override
    public Map<String, String> start() {
        LogCapture.install();
        TestData.deleteAll();
        String bootstrap = KafkaBroker.ensureRunning();
        String key = System.getenv(BACKEND_KEY_ENV);
        if (key == null || key.isBlank()) throw new IllegalStateException(BACKEND_KEY_ENV + " is not set; run the tests with Maven");
        simulator = ServiceProcess.builder("llm-simulator")
                .env("SIMULATOR_API_KEY", key)
                .systemProperty("simulator.latency.ttft", System.getProperty("gateway.test.simulator.ttft", "0s"))
                .systemProperty("quarkus.log.level", "WARN")
                .start();
        // a second simulator that writes its tokens one by one, 20 ms apart: streamed answers can be seen arriving
        pacedSimulator = ServiceProcess.builder("llm-simulator")
                .env("SIMULATOR_API_KEY", key)
                .systemProperty("simulator.latency.per-token", "20ms")
                .systemProperty("quarkus.log.level", "WARN")
                .start();
        pacedSimulatorUrl = pacedSimulator.baseUrl();
        simulatorUrl = simulator.baseUrl();
        simulatorPid = simulator.pid();
        return Map.of(
                "dln.backends.simulator.base-url", simulator.baseUrl() + "/v1",
                "dln.backends.sim-wrong-key.base-url", simulator.baseUrl() + "/v1",
                "dln.backends.sim-no-topk.base-url", simulator.baseUrl() + "/v1",
                "dln.backends.sim-paced.base-url", pacedSimulator.baseUrl() + "/v1",
                "kafka.bootstrap.servers", bootstrap);
    }

    /** The simulator's root URL (its OpenAI API is under /v1). */
    public static String simulatorUrl() {
        return simulatorUrl;
    }

    /** The root URL of the simulator whose tokens come 20 ms apart (backend sim-paced). */
    public static String pacedSimulatorUrl() {
        return pacedSimulatorUrl;
    }

    /** The simulator's process id, for benchmarks that account for its CPU. */
    public static long simulatorPid() {
        return simulatorPid;
    }

    public static String backendKey() {
        return System.getenv(BACKEND_KEY_ENV);
    }

    public static String wrongBackendKey() {
        return System.getenv("DLN_TEST_WRONG_BACKEND_KEY");
    }

    @Override
    public void stop() {
        if (simulator != null) simulator.stop();
        if (pacedSimulator != null) pacedSimulator.stop();
        TestData.deleteAll();
    }
}
