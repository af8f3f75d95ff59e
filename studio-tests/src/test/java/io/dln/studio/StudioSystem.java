package io.dln.studio;

import io.dln.testkit.KafkaBroker;
import io.dln.testkit.ServiceProcess;
import io.dln.testkit.SimulatorProcess;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The whole system as separate processes for the browser tests: the simulator standing in for the LLM server, the
 * sampler, the scorer, one trainer for the Studio's tenants and the gateway that serves the Studio, on the real Kafka
 * broker and the real PostgreSQL.
 */
final class StudioSystem implements AutoCloseable {

    static final String BACKEND = "simulator";
    static final String MODEL = "dln-simulator";
    /** The operator's tenant; the people of the tests live in their own tenants, which this trainer serves. */
    static final String OPERATOR_TENANT = "studio-ops";
    static final String TENANT = "studio-a";
    static final String OTHER_TENANT = "studio-b";
    static final String DB_URL = System.getProperty("dln.db.url",
            System.getenv().getOrDefault("DLN_DB_URL", "jdbc:postgresql://127.0.0.1:5432/test"));
    static final String DB_USER = System.getenv().getOrDefault("DLN_DB_USER", "postgres");

    final String adminKey = "studio-operator-key-" + UUID.randomUUID();
    final SimulatorProcess simulator;
    final ServiceProcess gateway;
    private final List<ServiceProcess> started = new ArrayList<>();

    /** @param latency the simulator's time to first token: long enough that a person sees a run's curves grow */
    StudioSystem(String latency) {
        String bootstrap = KafkaBroker.ensureRunning();
        simulator = SimulatorProcess.start(Map.of("simulator.latency.ttft", latency, "simulator.latency.per-token", "0ms"));
        try {
            for (String worker : List.of("sampler-service", "scorer-service")) {
                started.add(backendCaller(worker, bootstrap).start());
            }
            started.add(ServiceProcess.builder("trainer-service")
                    .systemProperty("kafka.bootstrap.servers", bootstrap)
                    .systemProperty("quarkus.datasource.jdbc.url", DB_URL)
                    .systemProperty("quarkus.datasource.username", DB_USER)
                    .systemProperty("dln.trainer.instance-id", "trainer-studio-tests")
                    .systemProperty("dln.trainer.tenants", TENANT + "," + OTHER_TENANT)
                    .systemProperty("dln.trainer.backends." + BACKEND + ".echo-logprobs", "true")
                    .start());
            gateway = ServiceProcess.builder("gateway")
                    .systemProperty("kafka.bootstrap.servers", bootstrap)
                    .systemProperty("quarkus.datasource.jdbc.url", DB_URL)
                    .systemProperty("quarkus.datasource.username", DB_USER)
                    .systemProperty("dln.gateway.security.bootstrap-tenant", OPERATOR_TENANT)
                    .systemProperty("dln.gateway.security.bootstrap-admin-key", adminKey)
                    .systemProperty("dln.gateway.rate-limit.requests-per-second", "500")
                    .systemProperty("dln.gateway.rate-limit.burst", "1000")
                    .systemProperty("dln.backends." + BACKEND + ".base-url", simulator.baseUrl() + "/v1")
                    .systemProperty("dln.backends." + BACKEND + ".model", MODEL)
                    .systemProperty("dln.backends." + BACKEND + ".capabilities.echo", "true")
                    .systemProperty("dln.backends." + BACKEND + ".capabilities.top-logprobs", "true")
                    .start();
            started.add(gateway);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private ServiceProcess.Builder backendCaller(String module, String bootstrap) {
        return ServiceProcess.builder(module)
                .systemProperty("kafka.bootstrap.servers", bootstrap)
                .systemProperty("dln.backends." + BACKEND + ".base-url", simulator.baseUrl() + "/v1")
                .systemProperty("dln.backends." + BACKEND + ".model", MODEL)
                .systemProperty("dln.backends." + BACKEND + ".max-concurrent-requests", "32");
    }

    String studioUrl() {
        return gateway.baseUrl() + "/studio/";
    }

    @Override
    public void close() {
        for (ServiceProcess process : started.reversed()) process.stop();
        simulator.close();
    }
}
