package io.dln.deploy;

import io.dln.core.lm.ClassDistributionRequest;
import io.dln.core.lm.GenerationRequest;
import io.dln.core.lm.LogProbabilityRequest;
import io.dln.core.lm.OutputClasses;
import io.dln.core.lm.VerbalizerAggregation;
import io.dln.messages.LlmRequest;
import io.dln.messages.LlmResult;
import io.dln.messages.MessageCodec;
import io.dln.testkit.KafkaBroker;
import io.dln.testkit.KafkaTestClient;
import io.dln.testkit.KafkaTestClient.PartitionReader;
import io.dln.testkit.ServiceProcess;
import io.dln.testkit.SimulatorProcess;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs the packaged services (target/quarkus-app of each module) as processes against the real Kafka broker and
 * PostgreSQL, sends the workers a little traffic, scrapes every /q/metrics, and checks that each metric the
 * Grafana dashboard and the alert rules name is really exported.
 * <p>
 * Isolation from other tests on the same broker and database: the services get their own database
 * (dropped afterwards), and the workers their own topics and consumer groups (system properties overriding the
 * channels' topic and group.id). Everything else is given as the environment variables the compose file and the
 * Kubernetes manifests use, and the test checks that the services took them (database, an env-only backend, the
 * gateway's admin key).
 * <p>
 * Metrics that only exist while a training run is in progress (per-run gauges) or once a trained DLN has served
 * inference are not produced here; for those the test checks the meter declared in the code instead, and says so.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExportedMetricsTest {

    /** Named by the dashboard or the rules, produced only by a training run or an inference call: checked in the code. */
    static final Map<String, String> ONLY_DURING_RUNS = new TreeMap<>(Map.of(
            "dln_trainer_run_iteration", "a per-run gauge, registered when a run finishes its first iteration",
            "dln_trainer_run_dev_accuracy", "a per-run gauge, registered when a run finishes its first iteration",
            "dln_trainer_run_elbo", "a per-run gauge, registered when a run finishes its first iteration"));

    /** Timers whose p95 the dashboard aggregates across replicas: they must publish histogram buckets from the start. */
    static final List<String> BUCKETED = List.of("dln_trainer_step_training_seconds_bucket",
            "dln_trainer_step_checkpoint_seconds_bucket", "dln_llm_calls_seconds_bucket", "dln_worker_processing_seconds_bucket",
            "dln_gateway_inference_seconds_bucket");

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})?\\s");
    private static final String DB_ADMIN_URL = System.getenv().getOrDefault("DLN_DB_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    private static final String DB_USER = System.getenv().getOrDefault("DLN_DB_USER", "postgres");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String id = "deploy-tests-" + UUID.randomUUID().toString().substring(0, 8);
    private final String database = id.replace('-', '_');
    private final String adminKey = "dln-" + UUID.randomUUID();
    private final List<String> topics = new ArrayList<>();
    private final Map<String, ServiceProcess> services = new LinkedHashMap<>();
    private final Map<String, String> scrapes = new TreeMap<>();
    private final List<LlmResult> results = new ArrayList<>();
    private SimulatorProcess simulator;
    private String bootstrap;
    private int gatewayWithoutKey;
    private int gatewayWithKey;

    @BeforeAll
    void startTheServicesAndSendThemWork() throws Exception {
        for (String module : Repo.IMAGE_MODULES) {
            if (!java.nio.file.Files.isRegularFile(io.dln.testkit.Repository.quarkusJar(module))) {
                fail(module + " is not packaged (" + module + "/target/quarkus-app): build the services first, e.g. "
                        + "./mvnw -pl deploy-tests -am package -DskipTests, or run the whole build (./mvnw verify)");
            }
        }
        long started = System.nanoTime();
        bootstrap = KafkaBroker.ensureRunning();
        createDatabase();
        createTopics();
        simulator = SimulatorProcess.start(Map.of());
        String llm = simulator.baseUrl() + "/v1";
        String dbUrl = DB_ADMIN_URL.replaceFirst("/[^/?]+(\\?.*)?$", "/" + database);

        Map<String, ServiceProcess.Builder> builders = new LinkedHashMap<>();
        builders.put("trainer-service", ServiceProcess.builder("trainer-service")
                .env("KAFKA_BOOTSTRAP_SERVERS", bootstrap)
                .env("DLN_DB_URL", dbUrl)
                .env("DLN_DB_USER", DB_USER)
                .env("DLN_TRAINER_TENANTS", id)
                .env("DLN_TRAINER_INSTANCE_ID", id + "-trainer")
                .env("DLN_TRAINER_BACKENDS_SIMULATOR_ECHO_LOGPROBS", "true"));
        builders.put("sampler-service", worker("sampler-service", "dln.generate.requests", llm));
        builders.put("scorer-service", worker("scorer-service", "dln.score.requests", llm).env("DLN_SCORER_CACHE_SIZE", "100"));
        builders.put("gateway", ServiceProcess.builder("gateway")
                .env("KAFKA_BOOTSTRAP_SERVERS", bootstrap)
                .env("DLN_DB_URL", dbUrl)
                .env("DLN_DB_USER", DB_USER)
                .env("DLN_SIM_URL", llm)
                .env("DLN_BACKENDS_SIMULATOR_BASE_URL", llm)
                .env("DLN_BACKENDS_SIMULATOR_MODEL", "dln-simulator")
                .env("DLN_GATEWAY_SECURITY_BOOTSTRAP_ADMIN_KEY", adminKey));
        ExecutorService starter = Executors.newFixedThreadPool(builders.size());
        try {
            Map<String, Future<ServiceProcess>> starting = new LinkedHashMap<>();
            builders.forEach((module, b) -> starting.put(module, starter.submit(() -> b.readyTimeout(Duration.ofSeconds(120)).start())));
            for (Map.Entry<String, Future<ServiceProcess>> e : starting.entrySet()) {
                services.put(e.getKey(), e.getValue().get(150, TimeUnit.SECONDS));
            }
        } finally {
            starter.shutdown();
        }
        System.out.printf("[deploy-tests] simulator and 4 services ready in %d s%n",
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
        sendWork();
        callTheGateway();
        scrapes.put(Repo.SIMULATOR, scrape(simulator.baseUrl()));
        services.forEach((module, p) -> scrapes.put(module, scrape(p.baseUrl())));
        java.nio.file.Path dump = java.nio.file.Path.of("target", "scrapes");
        java.nio.file.Files.createDirectories(dump);
        for (Map.Entry<String, String> e : scrapes.entrySet()) {
            java.nio.file.Files.writeString(dump.resolve(e.getKey() + ".prom"), e.getValue());
        }
    }

    private ServiceProcess.Builder worker(String module, String channel, String llm) {
        String in = "mp.messaging.incoming.\"" + channel + "\".";
        return ServiceProcess.builder(module)
                .systemProperty(in + "topic", id + "." + channel)
                .systemProperty(in + "group.id", id + "-" + module)
                .systemProperty(in + "dead-letter-queue.topic", id + "." + channel + ".dlq")
                .systemProperty("mp.messaging.outgoing.\"dln.results\".topic", id + ".dln.results")
                .env("KAFKA_BOOTSTRAP_SERVERS", bootstrap)
                .env("DLN_BACKENDS_SIMULATOR_BASE_URL", llm)
                // a backend only the environment defines, as the prod overlay's "llm"
                .env("DLN_BACKENDS_ENVONLY_BASE_URL", llm)
                .env("DLN_BACKENDS_ENVONLY_MODEL", "dln-simulator")
                // a backend nobody listens for: its calls are retried once, then fail (retry and error meters)
                .env("DLN_BACKENDS_BROKEN_BASE_URL", "http://127.0.0.1:9/v1")
                .env("DLN_BACKENDS_BROKEN_MODEL", "nothing")
                .env("DLN_BACKENDS_BROKEN_MAX_RETRIES", "1")
                .env("DLN_BACKENDS_BROKEN_TIMEOUT", "2s")
                .env("DLN_BACKENDS_BROKEN_PROBE_AT_START", "false")
                .env("DLN_WORKER_MAX_CONCURRENCY", "8");
    }

    /** Work for both workers: served requests (twice the same score request, for a cache hit), an expired one, a poison one. */
    private void sendWork() {
        long inTwoMinutes = System.currentTimeMillis() + 120_000;
        long past = System.currentTimeMillis() - 1_000;
        String run = id + "-run";
        GenerationRequest hello = GenerationRequest.greedy("Say hello. " + id, 4, List.of("\n"));
        LogProbabilityRequest sky = new LogProbabilityRequest("The colour of the sky on a clear day " + id + " is", " blue");
        OutputClasses yesNo = OutputClasses.of("yes|Yes", "no|No");
        List<LlmRequest> first = List.of(
                LlmRequest.generate("g1-" + id, run, 1, inTwoMinutes, "simulator", 0, hello),
                LlmRequest.generate("g2-" + id, run, 1, inTwoMinutes, "envonly", 0, hello),
                LlmRequest.logProbability("s1-" + id, run, 1, inTwoMinutes, "simulator", 0, sky),
                LlmRequest.classDistribution("s2-" + id, run, 1, inTwoMinutes, "simulator", 0,
                        new ClassDistributionRequest("Is water wet? " + id + "\nAnswer:", yesNo, VerbalizerAggregation.MAX)));
        LlmRequest repeat = LlmRequest.logProbability("s3-" + id, run, 1, inTwoMinutes, "simulator", 0, sky);
        LlmRequest broken = LlmRequest.generate("g4-" + id, run, 1, inTwoMinutes, "broken", 0, hello);
        try (KafkaTestClient kafka = new KafkaTestClient(bootstrap);
             PartitionReader replies = kafka.readFromEnd(id + ".dln.results", 0)) {
            for (LlmRequest r : first) kafka.send(topicOf(r), MessageCodec.contentKey(r), MessageCodec.toJson(r));
            awaitResults(replies, 4);
            kafka.send(topicOf(repeat), MessageCodec.contentKey(repeat), MessageCodec.toJson(repeat));
            kafka.send(topicOf(broken), MessageCodec.contentKey(broken), MessageCodec.toJson(broken));
            for (String channel : List.of("dln.generate.requests", "dln.score.requests")) {
                kafka.send(id + "." + channel, "poison", "this is not a request");
            }
            kafka.send(id + ".dln.generate.requests", "late",
                    MessageCodec.toJson(LlmRequest.generate("g3-" + id, run, 1, past, "simulator", 0, hello)));
            kafka.send(id + ".dln.score.requests", "late",
                    MessageCodec.toJson(LlmRequest.logProbability("s4-" + id, run, 1, past, "simulator", 0, sky)));
            awaitResults(replies, 6);
        }
        for (LlmResult r : results) {
            assertEquals(!r.requestId().equals(broken.requestId()), r.ok(), "result of " + r.requestId() + ": " + r);
        }
        awaitCounter("sampler-service", "dln_worker_dead_lettered_total");
        awaitCounter("scorer-service", "dln_worker_dead_lettered_total");
        awaitCounter("sampler-service", "dln_worker_expired_total");
        awaitCounter("scorer-service", "dln_worker_expired_total");
    }

    private String topicOf(LlmRequest r) {
        return id + "." + r.operation().topic();
    }

    private void awaitResults(PartitionReader replies, int count) {
        List<ConsumerRecord<String, String>> records = replies.readUntil(rs -> rs.size() >= count, Duration.ofSeconds(60));
        if (records.size() < count) fail("only " + records.size() + " of " + count + " results arrived within 60 s");
        results.clear();
        for (ConsumerRecord<String, String> r : records) results.add(MessageCodec.fromJson(r.value(), LlmResult.class));
    }

    /** Waits until the service exports the counter (the worker counts dead letters and expiries right after the record). */
    private void awaitCounter(String module, String metric) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (names(scrape(services.get(module).baseUrl())).contains(metric)) return;
            sleep(200);
        }
        fail(module + " never exported " + metric);
    }

    private void callTheGateway() throws IOException, InterruptedException {
        String base = services.get("gateway").baseUrl();
        gatewayWithoutKey = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/models")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
        gatewayWithKey = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/models"))
                .header("Authorization", "Bearer " + adminKey).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @AfterAll
    void stopEverything() {
        services.values().forEach(ServiceProcess::stop);
        if (simulator != null) simulator.close();
        if (bootstrap != null && !topics.isEmpty()) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                admin.deleteTopics(topics).all().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.out.println("[deploy-tests] could not delete topics " + topics + ": " + e);
            }
        }
        try (Connection c = DriverManager.getConnection(DB_ADMIN_URL, DB_USER, "");
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        } catch (SQLException e) {
            System.out.println("[deploy-tests] could not drop database " + database + ": " + e.getMessage());
        }
    }

    // ---------------------------------------------------------------- the checks

    @Test
    void everyMetricTheDashboardAndTheAlertRulesNameIsExported() {
        Map<String, Set<String>> exportedBy = new TreeMap<>();
        scrapes.forEach((module, text) -> names(text).forEach(n -> exportedBy.computeIfAbsent(n, k -> new TreeSet<>()).add(module)));
        Map<String, String> declared = Meters.declared();
        List<String> missing = new ArrayList<>();
        StringBuilder report = new StringBuilder("[deploy-tests] metrics named by the dashboard and the alert rules:\n");
        Observability.metricsNamed().forEach((metric, where) -> {
            if (exportedBy.containsKey(metric)) {
                report.append("  scraped   ").append(metric).append("  from ").append(exportedBy.get(metric)).append('\n');
            } else if (ONLY_DURING_RUNS.containsKey(metric) && declared.containsKey(metric)) {
                report.append("  declared  ").append(metric).append("  in ").append(declared.get(metric))
                        .append(" (").append(ONLY_DURING_RUNS.get(metric)).append(")\n");
            } else {
                missing.add(metric + " (named in " + where + ")");
            }
        });
        System.out.print(report);
        assertTrue(missing.isEmpty(), "named by the dashboard or the rules but exported by no service:\n  " + String.join("\n  ", missing));
        for (String metric : ONLY_DURING_RUNS.keySet()) {
            assertTrue(declared.containsKey(metric), metric + " is declared by no meter in the code");
        }
    }

    @Test
    void everyMeterOfOursHasHelpTextAndTheStepAndCallTimersHaveBuckets() {
        List<String> withoutHelp = new ArrayList<>();
        scrapes.forEach((module, text) -> text.lines().filter(l -> l.startsWith("# HELP dln_")).forEach(line -> {
            String[] parts = line.split(" ", 4);
            if (parts.length < 4 || parts[3].isBlank()) withoutHelp.add(module + ": " + parts[2]);
        }));
        assertTrue(withoutHelp.isEmpty(), "meters without a description (help text):\n  " + String.join("\n  ", withoutHelp));
        Set<String> scraped = new TreeSet<>();
        scrapes.values().forEach(text -> scraped.addAll(names(text)));
        for (String bucket : BUCKETED) assertTrue(scraped.contains(bucket), bucket + " is not exported from the start");
    }

    @Test
    void theServicesTookTheSettingsTheDeploymentsGiveAsEnvironmentVariables() throws SQLException {
        // DLN_DB_URL: the trainer and the gateway migrated the schema into this test's own database
        try (Connection c = DriverManager.getConnection(DB_ADMIN_URL.replaceFirst("/[^/?]+(\\?.*)?$", "/" + database), DB_USER, "");
             Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT count(*) FROM flyway_schema_history WHERE success")) {
            r.next();
            assertTrue(r.getInt(1) > 0, "no migration in " + database);
        }
        // DLN_BACKENDS_ENVONLY_*: a backend defined by environment variables alone served a request
        assertTrue(scrapes.get("sampler-service").matches(
                        "(?s).*dln_llm_calls_seconds_count\\{[^}]*backend=\"envonly\"[^}]*operation=\"generate\"[^}]*outcome=\"ok\"[^}]*} 1\\.0.*"),
                "the env-only backend served no call");
        // ...and one with a retry limit from the environment: one retry, then the error
        assertTrue(scrapes.get("sampler-service").matches("(?s).*dln_llm_retries_total\\{[^}]*backend=\"broken\"[^}]*} 1\\.0.*"),
                "backend 'broken' (max-retries 1) was retried once");
        // DLN_BACKENDS_SIMULATOR_*: the gateway knows backend "simulator", which only the environment gives it
        assertTrue(scrapes.get("gateway").contains("backend=\"simulator\""), "the gateway has no backend 'simulator'");
        // DLN_GATEWAY_SECURITY_BOOTSTRAP_ADMIN_KEY: the admin key from the environment is accepted
        assertEquals(401, gatewayWithoutKey, "GET /api/models without a key");
        assertEquals(200, gatewayWithKey, "GET /api/models with the bootstrap admin key from the environment");
        // DLN_SCORER_CACHE_SIZE and the repeat request: one cache hit
        assertTrue(scrapes.get("scorer-service").matches("(?s).*dln_scorer_cache_total\\{[^}]*result=\"hit\"[^}]*} [1-9].*"),
                "the repeated score request was not a cache hit");
    }

    // ---------------------------------------------------------------- helpers

    private void createDatabase() throws SQLException {
        try (Connection c = DriverManager.getConnection(DB_ADMIN_URL, DB_USER, "");
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + database);
        }
    }

    private void createTopics() throws Exception {
        for (String channel : List.of("dln.generate.requests", "dln.score.requests")) {
            topics.add(id + "." + channel);
            topics.add(id + "." + channel + ".dlq");
        }
        topics.add(id + ".dln.results");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(topics.stream().map(t -> new NewTopic(t, 1, (short) 1)).toList()).all().get(30, TimeUnit.SECONDS);
        }
    }

    private static String scrape(String baseUrl) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + "/q/metrics"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), baseUrl + "/q/metrics");
            return r.body();
        } catch (IOException e) {
            throw new IllegalStateException("cannot scrape " + baseUrl, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Sample names of a Prometheus text exposition. */
    static Set<String> names(String exposition) {
        Set<String> names = new TreeSet<>();
        for (String line : exposition.split("\n")) {
            if (line.startsWith("#") || line.isBlank()) continue;
            Matcher m = SAMPLE.matcher(line);
            if (m.find()) names.add(m.group(1));
        }
        return names;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
