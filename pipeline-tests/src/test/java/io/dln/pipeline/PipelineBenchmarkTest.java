package io.dln.pipeline;

import io.dln.core.lm.GenerationRequest;
import io.dln.core.loss.ExactMatchLoss;
import io.dln.core.model.Backends;
import io.dln.core.model.DeepLanguageNetwork;
import io.dln.core.model.DlnSettings;
import io.dln.core.template.TemplateLibrary;
import io.dln.core.train.Trainer;
import io.dln.core.train.TrainingListener;
import io.dln.llm.BackendConfig;
import io.dln.llm.OpenAiCompatibleModel;
import io.dln.messages.LlmRequest;
import io.dln.messages.LlmResult;
import io.dln.messages.MessageCodec;
import io.dln.messages.RunEvent;
import io.dln.messages.Topics;
import io.dln.testkit.KafkaBroker;
import io.dln.testkit.ServiceProcess;
import io.dln.testkit.SimulatorProcess;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Speed of the distributed pipeline against the simulator at a fixed latency and capacity. Prints its
 * figures (ratios against bounds and baselines measured in the same run); asserts nothing about time.
 * Run: {@code ./mvnw -B verify -Pbenchmark -pl pipeline-tests} (with the services packaged and a broker up).
 */
@Tag("benchmark")
class PipelineBenchmarkTest {

    /** Runs and consumer groups of their own, so the benchmark disturbs no test on the same broker and database. */
    static final String TENANT = "benchmark";
    static final long LATENCY_MS = 50;
    static final int CAPACITY = 64;

    /** A DLN-2 step with batch 10, 10 hidden samples and 10 prompt samples, against max(phases x L, calls x L / C). */
    @Test
    void dln2StepAgainstItsLowerBound() {
        DlnSettings settings = DlnSettings.builder().layers(2).iterations(1).batchSize(10).hSamples(10).pSamples(10)
                .validateFirst(false).build();
        Map<String, String> simulatorConfig = Map.of("simulator.latency.ttft", LATENCY_MS + "ms", "simulator.latency.per-token", "0ms",
                "simulator.capacity.max-concurrent", String.valueOf(CAPACITY), "simulator.capacity.max-queue", "100000");
        try (Bench bench = new Bench(simulatorConfig, 256, 64)) {
            bench.startWorkers(1);
            Scenario scenario = Scenario.generated("sum-parity", 20, 10, 10, settings, 5);
            InProcessStep direct = inProcessStep(scenario, bench.simulator.baseUrl());
            double bound = Math.max(direct.phases * LATENCY_MS, direct.calls * LATENCY_MS / (double) CAPACITY);
            long distributed = bench.timeFirstStep(scenario);
            System.out.printf("%nDLN-2 step (batch 10, 10 h-samples, 10 p-samples), simulator latency %d ms, capacity %d:%n", LATENCY_MS, CAPACITY);
            System.out.printf("  calls %d in %d dependent phases; lower bound max(%d x %d ms, %d x %d ms / %d) = %.0f ms%n",
                    direct.calls, direct.phases, direct.phases, LATENCY_MS, direct.calls, LATENCY_MS, CAPACITY, bound);
            System.out.printf("  in-process (direct HTTP): %d ms = %.2f x bound%n", direct.millis, direct.millis / bound);
            System.out.printf("  distributed (trainer -> Kafka -> sampler/scorer): %d ms = %.2f x bound (target <= 1.5)%n",
                    distributed, distributed / bound);
        }
    }

    /** The same smaller step with one and with two scorer replicas when each scorer allows only 8 calls at once. */
    @Test
    void oneVersusTwoScorersWhenTheScorersConcurrencyIsTheBottleneck() {
        DlnSettings settings = DlnSettings.builder().layers(2).iterations(1).batchSize(10).hSamples(5).pSamples(5)
                .validateFirst(false).build();
        Map<String, String> simulatorConfig = Map.of("simulator.latency.ttft", LATENCY_MS + "ms", "simulator.latency.per-token", "0ms",
                "simulator.capacity.max-concurrent", "1024");
        long[] millis = new long[2];
        for (int scorers = 1; scorers <= 2; scorers++) {
            try (Bench bench = new Bench(simulatorConfig, 8, 8)) {
                bench.startWorkers(scorers);
                millis[scorers - 1] = bench.timeFirstStep(Scenario.generated("basket-totals", 20, 10, 10, settings, 6 + scorers * 0L));
            }
        }
        System.out.printf("%nDLN-2 step (batch 10, 5 h-samples, 5 p-samples), each scorer limited to 8 concurrent calls:%n");
        System.out.printf("  1 scorer: %d ms; 2 scorers: %d ms; speed-up %.2f x (ideal 2)%n", millis[0], millis[1],
                millis[0] / (double) millis[1]);
    }

    /** Latency of one generation call through Kafka and the sampler, against calling the simulator directly. */
    @Test
    void kafkaRoundTripOverheadPerCall() throws Exception {
        int n = 1000;
        try (Bench bench = new Bench(Map.of(), 64, 64)) {
            bench.startWorkers(1);
            long[] direct = new long[n];
            try (OpenAiCompatibleModel client = OpenAiCompatibleModel.create(BackendConfig.of("direct", bench.simulator.baseUrl() + "/v1",
                    Pipeline.MODEL))) {
                for (int i = -100; i < n; i++) {
                    long start = System.nanoTime();
                    client.generate(List.of(request(i))).join();
                    if (i >= 0) direct[i] = System.nanoTime() - start;
                }
            }
            long[] viaKafka = bench.roundTrips(n, PipelineBenchmarkTest::request);
            System.out.printf("%nOne generation call, simulator at zero latency, %d sequential calls:%n", n);
            System.out.printf("  direct HTTP: median %.2f ms, p99 %.2f ms%n", percentile(direct, 50), percentile(direct, 99));
            System.out.printf("  through Kafka and the sampler: median %.2f ms, p99 %.2f ms%n", percentile(viaKafka, 50), percentile(viaKafka, 99));
            System.out.printf("  overhead: median %.2f ms (target <= 5), p99 %.2f ms%n",
                    percentile(viaKafka, 50) - percentile(direct, 50), percentile(viaKafka, 99) - percentile(direct, 99));
        }
    }

    private static GenerationRequest request(int i) {
        return new GenerationRequest("### Input\nround trip " + i + "\n\n### Answer\n", 1, 0.0, 4, List.of("\n\n"), 0);
    }

    record InProcessStep(int calls, int phases, long millis) {
    }

    static InProcessStep inProcessStep(Scenario scenario, String simulatorBaseUrl) {
        try (OpenAiCompatibleModel client = OpenAiCompatibleModel.create(BackendConfig.of("direct", simulatorBaseUrl + "/v1", Pipeline.MODEL)
                .withLimits(256, 0, 0))) {
            CountingModel counting = new CountingModel(client);
            DeepLanguageNetwork network = new DeepLanguageNetwork(scenario.settings(), TemplateLibrary.builtIn(), Backends.single(counting),
                    scenario.dataset().outputClasses(), new ExactMatchLoss());
            Trainer trainer = new Trainer(network, scenario.dataset(), () -> 0, TrainingListener.NONE);
            var start = trainer.start(scenario.seed());
            long t0 = System.nanoTime();
            trainer.runIteration(start);
            return new InProcessStep(counting.calls.get(), counting.phases.get(), (System.nanoTime() - t0) / 1_000_000);
        }
    }

    static double percentile(long[] nanos, int p) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1e6;
    }

    /** A simulator, workers and a trainer for one measurement. */
    static final class Bench implements AutoCloseable {
        final String bootstrap = KafkaBroker.ensureRunning();
        final SimulatorProcess simulator;
        final int workerConcurrency;
        final int backendConcurrency;
        final List<ServiceProcess> processes = new ArrayList<>();

        Bench(Map<String, String> simulatorConfig, int workerConcurrency, int backendConcurrency) {
            this.simulator = SimulatorProcess.start(simulatorConfig);
            this.workerConcurrency = workerConcurrency;
            this.backendConcurrency = backendConcurrency;
        }

        void startWorkers(int scorers) {
            processes.add(worker("sampler-service"));
            for (int i = 0; i < scorers; i++) processes.add(worker("scorer-service"));
        }

        private ServiceProcess worker(String module) {
            String channel = module.equals("sampler-service") ? Topics.GENERATE_REQUESTS : Topics.SCORE_REQUESTS;
            return ServiceProcess.builder(module)
                    .systemProperty("kafka.bootstrap.servers", bootstrap)
                    .systemProperty("mp.messaging.incoming.\"" + channel + "\".group.id", "benchmark-" + module)
                    .systemProperty("dln.worker.max-concurrency", String.valueOf(workerConcurrency))
                    .systemProperty("dln.backends." + Pipeline.BACKEND + ".base-url", simulator.baseUrl() + "/v1")
                    .systemProperty("dln.backends." + Pipeline.BACKEND + ".model", Pipeline.MODEL)
                    .systemProperty("dln.backends." + Pipeline.BACKEND + ".max-concurrent-requests", String.valueOf(backendConcurrency))
                    .start();
        }

        /** Runs the scenario's first iteration on a trainer and returns its wall time from the run's events. */
        long timeFirstStep(Scenario scenario) {
            try (KafkaConsumer<String, String> events = endReader(Topics.RUN_EVENTS)) {
                ServiceProcess trainer = ServiceProcess.builder("trainer-service")
                        .systemProperty("kafka.bootstrap.servers", bootstrap)
                        .systemProperty("quarkus.datasource.jdbc.url", Db.URL)
                        .systemProperty("dln.trainer.instance-id", "bench-" + UUID.randomUUID())
                        .systemProperty("dln.trainer.tenants", TENANT)
                        .start();
                processes.add(trainer);
                String runId = scenario.start(Pipeline.BACKEND, null, TENANT).toString();
                long started = -1;
                long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
                while (System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, String> record : events.poll(Duration.ofMillis(200))) {
                        RunEvent event = MessageCodec.fromJson(record.value(), RunEvent.class);
                        if (!event.runId().equals(runId)) continue;
                        if (event.type().equals("STARTED")) started = event.timestampEpochMillis();
                        if (event.type().equals("ITERATION") && event.iteration() == 0) return event.timestampEpochMillis() - started;
                        if (event.type().equals("FAILED")) throw new IllegalStateException("run failed: " + event.message());
                    }
                }
                throw new IllegalStateException("the first step of run " + runId + " did not end within 5 minutes");
            }
        }

        /** Sequential calls through the generation topic and the sampler; the results come back on an unused partition. */
        long[] roundTrips(int n, java.util.function.IntFunction<GenerationRequest> requests) throws Exception {
            int partition = 5;
            TopicPartition results = new TopicPartition(Topics.RESULTS, partition);
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap, "linger.ms", 0),
                    new StringSerializer(), new StringSerializer());
                 KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap,
                         "enable.auto.commit", false, "fetch.max.wait.ms", 100), new StringDeserializer(), new StringDeserializer())) {
                consumer.assign(List.of(results));
                consumer.seekToEnd(List.of(results));
                consumer.position(results);
                long[] latencies = new long[n];
                String runId = "bench-" + UUID.randomUUID();
                for (int i = -100; i < n; i++) {
                    String id = runId + "-" + i;
                    LlmRequest request = LlmRequest.generate(id, runId, 0, System.currentTimeMillis() + 30_000, Pipeline.BACKEND, partition,
                            requests.apply(i + 10_000));
                    long start = System.nanoTime();
                    producer.send(new ProducerRecord<>(Topics.GENERATE_REQUESTS, id, MessageCodec.toJson(request)));
                    boolean answered = false;
                    while (!answered) {
                        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(1000))) {
                            if (MessageCodec.fromJson(record.value(), LlmResult.class).requestId().equals(id)) answered = true;
                        }
                    }
                    if (i >= 0) latencies[i] = System.nanoTime() - start;
                }
                return latencies;
            }
        }

        private KafkaConsumer<String, String> endReader(String topic) {
            KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap, "enable.auto.commit", false),
                    new StringDeserializer(), new StringDeserializer());
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            return consumer;
        }

        @Override
        public void close() {
            processes.forEach(ServiceProcess::stop);
            simulator.close();
        }
    }
}
