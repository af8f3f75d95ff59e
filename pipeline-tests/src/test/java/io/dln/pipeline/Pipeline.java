package io.dln.pipeline;

import io.dln.testkit.KafkaBroker;
import io.dln.testkit.ServiceProcess;
import io.dln.testkit.SimulatorProcess;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * The system as separate processes: a simulator standing in for the LLM server (a second one that
 * injects faults, a third that is slow), the sampler, the scorer and trainers, all on the real Kafka
 * broker and the real PostgreSQL. Backend "simulator" is the clean one, "faulty" the one with faults,
 * "slow" the slow one.
 */
final class Pipeline implements AutoCloseable {

    static final String BACKEND = "simulator";
    static final String FAULTY_BACKEND = "faulty";
    /** A backend that takes {@link #SLOW_LATENCY} for every call, so one step lasts long enough to act inside it. */
    static final String SLOW_BACKEND = "slow";
    static final String SLOW_LATENCY = "5s";
    static final String MODEL = "dln-simulator";
    /** The tenant of the runs these tests start; their trainers take no other tenant's runs. */
    static final String TENANT = "pipeline";

    final String bootstrap;
    final SimulatorProcess simulator;
    final SimulatorProcess faultySimulator;
    final SimulatorProcess slowSimulator;
    private final List<ServiceProcess> started = new ArrayList<>();
    ServiceProcess sampler;
    ServiceProcess scorer;

    Pipeline(Map<String, String> simulatorLatency) {
        bootstrap = KafkaBroker.ensureRunning();
        Map<String, String> faults = new LinkedHashMap<>(simulatorLatency);
        faults.put("simulator.faults.rate-500", "0.10");
        faults.put("simulator.faults.rate-429", "0.05");
        faults.put("simulator.faults.rate-hang", "0.01");
        faults.put("simulator.faults.retry-after", "1");
        faults.put("simulator.faults.hang-delay", "30s");
        List<SimulatorProcess> simulators = startTogether(List.of(() -> SimulatorProcess.start(simulatorLatency),
                () -> SimulatorProcess.start(faults),
                () -> SimulatorProcess.start(Map.of("simulator.latency.ttft", SLOW_LATENCY, "simulator.latency.per-token", "0ms"))));
        simulator = simulators.get(0);
        faultySimulator = simulators.get(1);
        slowSimulator = simulators.get(2);
        List<ServiceProcess> workers = startTogether(List.of(this::startSampler, this::startScorer));
        sampler = workers.get(0);
        scorer = workers.get(1);
    }

    /** A trainer of {@code tenant}'s runs only, told that the simulator gives echo and top-k log-probabilities. */
    ServiceProcess.Builder trainerOf(String tenant) {
        return ServiceProcess.builder("trainer-service")
                .systemProperty("kafka.bootstrap.servers", bootstrap)
                .systemProperty("quarkus.datasource.jdbc.url", Db.URL)
                .systemProperty("quarkus.datasource.username", Db.USER)
                .systemProperty("dln.trainer.instance-id", "trainer-" + tenant)
                .systemProperty("dln.trainer.tenants", tenant)
                .systemProperty("dln.trainer.backends." + BACKEND + ".echo-logprobs", "true")
                .systemProperty("dln.trainer.backends." + BACKEND + ".top-logprobs", "true");
    }

    /** A gateway that makes {@code tenant} its first tenant, with the simulator as its backend. */
    ServiceProcess.Builder gatewayOf(String tenant) {
        return ServiceProcess.builder("gateway")
                .systemProperty("kafka.bootstrap.servers", bootstrap)
                .systemProperty("quarkus.datasource.jdbc.url", Db.URL)
                .systemProperty("quarkus.datasource.username", Db.USER)
                .systemProperty("dln.gateway.security.bootstrap-tenant", tenant)
                .systemProperty("dln.backends." + BACKEND + ".base-url", simulator.baseUrl() + "/v1")
                .systemProperty("dln.backends." + BACKEND + ".model", MODEL)
                .systemProperty("dln.backends." + BACKEND + ".capabilities.echo", "true")
                .systemProperty("dln.backends." + BACKEND + ".capabilities.top-logprobs", "true");
    }

    /**
     * Starts services at the same time rather than one after the other, and waits until all are ready: a service's
     * start-up is seconds of its own class loading and waiting on the broker and the database, which overlap.
     */
    static <T> List<T> startTogether(List<Supplier<T>> starts) {
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<T>> started = starts.stream().map(start -> threads.submit(start::get)).toList();
            List<T> ready = new ArrayList<>();
            for (Future<T> future : started) {
                try {
                    ready.add(future.get());
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException failure) throw failure;
                    throw new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while starting services", e);
                }
            }
            return ready;
        }
    }

    ServiceProcess startSampler() {
        return track(worker("sampler-service").start());
    }

    ServiceProcess startScorer() {
        return track(worker("scorer-service").start());
    }

    private ServiceProcess sharedTrainer;

    /**
     * A trainer of the pipeline's tenant for the test classes that need one but not to know which: started by the first
     * of them and kept for the next, since each start of a service costs seconds (tens of seconds on a busy machine).
     */
    synchronized ServiceProcess sharedTrainer() {
        if (sharedTrainer == null || !sharedTrainer.isAlive()) sharedTrainer = startTrainer("trainer-shared", 2);
        return sharedTrainer;
    }

    /** For the test classes that decide which trainers run (crashes, hand-over): no shared trainer takes their runs. */
    synchronized void stopSharedTrainer() {
        if (sharedTrainer == null) return;
        sharedTrainer.stop();
        sharedTrainer = null;
    }

    ServiceProcess startTrainer(String instanceId, int maxActiveRuns) {
        return startTrainer(instanceId, maxActiveRuns, TENANT, Map.of());
    }

    /**
     * A trainer of {@code tenant}'s runs ({@link #trainerOf}) with short leases and request timeouts, so that crashes and
     * hand-overs play out in seconds, and {@code settings} laid over the tests' own.
     */
    ServiceProcess startTrainer(String instanceId, int maxActiveRuns, String tenant, Map<String, String> settings) {
        return track(trainerOf(tenant)
                .systemProperty("dln.trainer.instance-id", instanceId)
                .systemProperty("dln.trainer.max-active-runs", String.valueOf(maxActiveRuns))
                .systemProperty("dln.trainer.lease-duration", "4s")
                .systemProperty("dln.trainer.lease-renewal", "1s")
                // renewed well within the 4 s lease, so a second trainer never finds this one's results partition free
                .systemProperty("dln.trainer.slot-renewal", "1s")
                .systemProperty("dln.trainer.request-timeout", "6s")
                .systemProperty("dln.trainer.max-attempts", "20")
                .systemProperty("dln.trainer.backends." + FAULTY_BACKEND + ".echo-logprobs", "true")
                .systemProperty("dln.trainer.backends." + SLOW_BACKEND + ".echo-logprobs", "true")
                .systemProperties(settings)
                .start());
    }

    static final String ADMIN_KEY = "pipeline-admin-key-" + java.util.UUID.randomUUID();

    /** The gateway on the test database, its bootstrap admin key in {@link #ADMIN_KEY}, tenant {@link #TENANT}. */
    ServiceProcess startGateway() {
        return track(ServiceProcess.builder("gateway")
                .systemProperty("kafka.bootstrap.servers", bootstrap)
                .systemProperty("quarkus.datasource.jdbc.url", Db.URL)
                .systemProperty("quarkus.datasource.username", Db.USER)
                .systemProperty("dln.gateway.security.bootstrap-tenant", TENANT)
                .systemProperty("dln.backends." + BACKEND + ".base-url", simulator.baseUrl() + "/v1")
                .systemProperty("dln.backends." + BACKEND + ".model", MODEL)
                .env("DLN_BOOTSTRAP_ADMIN_KEY", ADMIN_KEY)
                .systemProperty("dln.gateway.security.bootstrap-admin-key", ADMIN_KEY)
                .start());
    }

    private ServiceProcess.Builder worker(String module) {
        return ServiceProcess.builder(module)
                .systemProperty("kafka.bootstrap.servers", bootstrap)
                .systemProperty("dln.backends." + BACKEND + ".base-url", simulator.baseUrl() + "/v1")
                .systemProperty("dln.backends." + BACKEND + ".model", MODEL)
                .systemProperty("dln.backends." + BACKEND + ".max-concurrent-requests", "32")
                .systemProperty("dln.backends." + FAULTY_BACKEND + ".base-url", faultySimulator.baseUrl() + "/v1")
                .systemProperty("dln.backends." + FAULTY_BACKEND + ".model", MODEL)
                .systemProperty("dln.backends." + FAULTY_BACKEND + ".max-concurrent-requests", "32")
                .systemProperty("dln.backends." + FAULTY_BACKEND + ".timeout", "2s")
                .systemProperty("dln.backends." + FAULTY_BACKEND + ".max-retries", "6")
                .systemProperty("dln.backends." + SLOW_BACKEND + ".base-url", slowSimulator.baseUrl() + "/v1")
                .systemProperty("dln.backends." + SLOW_BACKEND + ".model", MODEL)
                .systemProperty("dln.backends." + SLOW_BACKEND + ".max-concurrent-requests", "64");
    }

    private ServiceProcess track(ServiceProcess process) {
        started.add(process);
        return process;
    }

    @Override
    public void close() {
        for (ServiceProcess process : started) process.stop();
        slowSimulator.close();
        faultySimulator.close();
        simulator.close();
    }
}
