package io.dln.testkit;

import java.util.Map;

/** The llm-simulator running as a separate process; see {@link ServiceProcess}. */
public final class SimulatorProcess implements AutoCloseable {

    public static final String MODULE = "llm-simulator";

    private final ServiceProcess process;

    private SimulatorProcess(ServiceProcess process) {
        this.process = process;
    }

    /** Starts the simulator with {@code properties} (e.g. {@code simulator.latency.ttft=20ms}) and waits until it is ready. */
    public static SimulatorProcess start(Map<String, String> properties) {
        return new SimulatorProcess(ServiceProcess.builder(MODULE)
                .systemProperties(properties)
                .missingJarHint("build llm-simulator first: ./mvnw -pl llm-simulator package (with -am if its dependencies are not installed)")
                .start());
    }

    /** {@code http://127.0.0.1:<port>}; its OpenAI API is under {@code /v1}. */
    public String baseUrl() {
        return process.baseUrl();
    }

    public ServiceProcess process() {
        return process;
    }

    @Override
    public void close() {
        process.stop();
    }
}
