package io.dln.deploy;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * docker-compose.yml: validated by the Compose tool when one is installed ({@code docker compose config}, or the
 * Debian package docker-compose), and read structurally here: services, images, health checks, start order, the
 * variables given to each service against the keys it reads, and a scorer that can be scaled.
 */
class ComposeFileTest {

    private static final Pattern INTERPOLATION = Pattern.compile("\\$\\{([A-Z0-9_]+)(?::?-([^}]*))?}");
    private static Map<String, Object> services;

    @BeforeAll
    static void load() {
        Map<String, Object> compose = Y.load(Repo.read(Repo.file("docker-compose.yml")));
        services = Y.mapAt(compose, "services");
    }

    @Test
    void theComposeToolAcceptsTheFile() {
        Path root = Repo.root();
        List<String> command;
        String version;
        Optional<Path> docker = Tools.find("docker");
        if (docker.isPresent() && Tools.run(root, 60, List.of(docker.get().toString(), "compose", "version")).ok()) {
            command = List.of(docker.get().toString(), "compose", "-f", "docker-compose.yml", "config", "--quiet");
            version = "docker compose " + Tools.version(root, List.of(docker.get().toString(), "compose", "version", "--short"));
        } else {
            Path legacy = Tools.require("docker-compose", "it validates docker-compose.yml (neither `docker compose` nor the"
                    + " Debian package docker-compose is available)");
            command = List.of(legacy.toString(), "-f", "docker-compose.yml", "config", "--quiet");
            version = "docker-compose " + Tools.version(root, List.of(legacy.toString(), "version", "--short"));
        }
        System.out.println("[deploy-tests] validating docker-compose.yml with " + version);
        Tools.Result r = Tools.run(root, 120, command);
        assertTrue(r.ok(), "compose config rejects docker-compose.yml:\n" + r.output());
    }

    @Test
    void everyPartIsThere() {
        Set<String> byDefault = new java.util.TreeSet<>(services.keySet());
        byDefault.removeIf(name -> !Y.listAt(service(name), "profiles").isEmpty());
        assertEquals(Set.of("kafka", "kafka-topics", "postgres", "llm-simulator", "trainer-service", "sampler-service",
                "scorer-service", "gateway"), byDefault);
        Map<String, Object> kafka = service("kafka");
        assertTrue(Y.str(kafka, "image").startsWith("apache/kafka:"), "Kafka from the official apache/kafka image");
        Map<String, String> kafkaEnv = env(kafka);
        assertTrue(kafkaEnv.getOrDefault("KAFKA_PROCESS_ROLES", "").contains("controller"), "KRaft: the broker is its own controller");
        assertFalse(kafkaEnv.keySet().stream().anyMatch(k -> k.contains("ZOOKEEPER")), "no ZooKeeper");
        assertTrue(Y.str(service("postgres"), "image").startsWith("postgres:"));
    }

    @Test
    void theTopicsComeFromTheTopicList() {
        Map<String, Object> init = service("kafka-topics");
        assertTrue(Y.listAt(init, "volumes").stream().map(String::valueOf).anyMatch(v -> v.startsWith("./kafka/topics.txt:")),
                "kafka-topics mounts kafka/topics.txt");
        assertEquals("service_healthy", Y.str(init, "depends_on.kafka.condition"));
        String script = String.valueOf(init.get("command"));
        assertTrue(script.contains("kafka-topics.sh") && script.contains("--create") && script.contains("default"), script);
        assertEquals(String.valueOf(Repo.DEFAULT_PARTITIONS), resolve(env(init).get("KAFKA_PARTITIONS")), "default partitions");
        assertEquals("no", String.valueOf(init.getOrDefault("restart", "no")), "a one-shot job");
    }

    @Test
    void theServicesRunTheBuildsImagesWithHealthChecksAndAStartOrder() {
        String version = Repo.projectVersion();
        for (String module : Repo.IMAGE_MODULES) {
            Map<String, Object> s = service(module);
            assertEquals("dln/" + module + ":" + version, resolve(Y.str(s, "image")), module + " image");
            Object test = Y.at(s, "healthcheck.test");
            assertNotNull(test, module + " has a health check");
            int port = ServiceConfig.of(module).httpPort(env(s));
            String check = String.valueOf(test);
            assertTrue(check.contains("/q/health/ready") && check.contains("/" + port + " "),
                    module + " health check asks /q/health/ready on port " + port + ": " + check);
        }
        for (Map.Entry<String, Object> e : services.entrySet()) {
            Object deps = Y.map(e.getValue(), e.getKey()).get("depends_on");
            if (deps == null) continue;
            Map<String, Object> byName = Y.map(deps, e.getKey() + ".depends_on");
            byName.forEach((dep, how) -> {
                String condition = Y.str(how, "condition");
                assertTrue(Set.of("service_healthy", "service_completed_successfully").contains(condition),
                        e.getKey() + " waits for " + dep + " with condition " + condition);
                if ("service_healthy".equals(condition)) {
                    assertNotNull(Y.at(service(dep), "healthcheck"), dep + " needs a health check to be waited for");
                }
            });
        }
        for (String module : Repo.SERVICES) {
            assertEquals("service_completed_successfully", Y.str(service(module), "depends_on.kafka-topics.condition"),
                    module + " starts once the topics exist");
        }
        for (String module : List.of("trainer-service", "gateway")) {
            assertEquals("service_healthy", Y.str(service(module), "depends_on.postgres.condition"), module + " needs PostgreSQL");
        }
        for (String module : List.of("sampler-service", "scorer-service")) {
            assertEquals("service_healthy", Y.str(service(module), "depends_on.llm-simulator.condition"), module + " calls the simulator");
        }
    }

    @Test
    void everyVariableGivenToAServiceIsOneItReads() {
        List<String> problems = new ArrayList<>();
        for (String module : Repo.IMAGE_MODULES) {
            ServiceConfig config = ServiceConfig.of(module);
            for (String name : env(service(module)).keySet()) {
                if (!config.readsEnv(name) && !ServiceConfig.LAUNCHER_ENV.contains(name)) {
                    problems.add(module + ": " + name + " is read by no configuration key of " + module);
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        Map<String, String> trainer = env(service("trainer-service"));
        Map<String, String> gateway = env(service("gateway"));
        for (String key : List.of("KAFKA_BOOTSTRAP_SERVERS", "DLN_DB_URL", "DLN_DB_USER", "DLN_DB_PASSWORD")) {
            assertTrue(trainer.containsKey(key), "trainer-service gets " + key);
            assertEquals(trainer.get(key), gateway.get(key), "trainer and gateway share " + key);
        }
        assertTrue(gateway.containsKey("DLN_GATEWAY_SECURITY_BOOTSTRAP_ADMIN_KEY"), "the gateway gets an admin key");
        String db = Y.str(service("postgres"), "environment.POSTGRES_DB");
        assertEquals("jdbc:postgresql://postgres:5432/" + db, trainer.get("DLN_DB_URL"));
        assertEquals(resolve(Y.str(service("postgres"), "environment.POSTGRES_PASSWORD")), resolve(trainer.get("DLN_DB_PASSWORD")));
        for (String module : Repo.SERVICES) {
            assertEquals("kafka:9092", env(service(module)).get("KAFKA_BOOTSTRAP_SERVERS"), module + " Kafka address");
        }
        int simulatorPort = ServiceConfig.of(Repo.SIMULATOR).httpPort(env(service(Repo.SIMULATOR)));
        for (String module : List.of("sampler-service", "scorer-service", "gateway")) {
            assertEquals("http://llm-simulator:" + simulatorPort + "/v1", env(service(module)).get("DLN_SIM_URL"), module);
        }
    }

    /** Tracing is off by default; with the "tracing" profile the collector runs where the services send their spans. */
    @Test
    void tracingIsOffUnlessAskedAndTheCollectorIsAProfileAway() {
        Map<String, Object> collector = service("otel-collector");
        assertEquals(List.of("tracing"), Y.listAt(collector, "profiles").stream().map(String::valueOf).toList());
        assertTrue(Y.str(collector, "image").startsWith("otel/opentelemetry-collector"), Y.str(collector, "image"));
        assertTrue(Y.listAt(collector, "volumes").stream().map(String::valueOf)
                .anyMatch(v -> v.startsWith("./observability/otel-collector.yaml:")), "the collector's configuration");
        assertTrue(java.nio.file.Files.isRegularFile(Repo.file("observability/otel-collector.yaml")));
        for (String module : Repo.SERVICES) {
            Map<String, String> env = env(service(module));
            assertEquals("true", resolve(env.get("QUARKUS_OTEL_SDK_DISABLED")), module + ": tracing off by default");
            assertEquals("http://otel-collector:4317", resolve(env.get("QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT")), module);
            assertEquals("false", resolve(env.get("QUARKUS_LOG_CONSOLE_JSON_ENABLED")), module + ": plain log lines by default");
        }
    }

    @Test
    void theScorerScalesAndOnlyTheGatewayIsPublished() {
        Map<String, Object> scorer = service("scorer-service");
        assertFalse(scorer.containsKey("container_name"), "a fixed container name prevents --scale scorer-service=N");
        for (Object port : Y.listAt(scorer, "ports")) {
            assertFalse(String.valueOf(port).contains(":"), "a fixed host port prevents --scale: " + port);
        }
        for (Map.Entry<String, Object> e : services.entrySet()) {
            if (e.getKey().equals("gateway")) continue;
            assertTrue(Y.listAt(e.getValue(), "ports").isEmpty(), e.getKey() + " publishes ports; only the gateway should");
        }
        assertFalse(Y.listAt(service("gateway"), "ports").isEmpty(), "the gateway is published");
    }

    // ---------------------------------------------------------------- helpers

    private static Map<String, Object> service(String name) {
        Object s = services.get(name);
        if (s == null) fail("docker-compose.yml has no service " + name);
        return Y.map(s, name);
    }

    /** A service's environment, from the map or the KEY=VALUE list form. */
    static Map<String, String> env(Map<String, Object> service) {
        Map<String, String> env = new LinkedHashMap<>();
        Object raw = service.get("environment");
        if (raw instanceof Map<?, ?> m) {
            m.forEach((k, v) -> env.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
        } else if (raw instanceof List<?> l) {
            for (Object o : l) {
                String s = String.valueOf(o);
                int eq = s.indexOf('=');
                env.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? null : s.substring(eq + 1));
            }
        }
        return env;
    }

    /** Compose interpolation with the defaults written in the file (no .env, nothing set). */
    static String resolve(String value) {
        if (value == null) return null;
        Matcher m = INTERPOLATION.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) m.appendReplacement(out, Matcher.quoteReplacement(m.group(2) == null ? "" : m.group(2)));
        m.appendTail(out);
        return out.toString();
    }
}
