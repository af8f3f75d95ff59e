package io.dln.pipeline;

import io.dln.testkit.FreePorts;
import io.dln.testkit.Repository;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ./dln demo --ci} from start to end, as CI runs it: the script starts a Kafka broker, the simulator and the
 * four services, trains a DLN-2, promotes it, calls it, and stops everything again. It gets a broker of its own
 * (free ports, a data directory under target/) so that its workers do not join the pipeline tests' consumer groups,
 * a tenant of its own in the test database, and free HTTP ports.
 */
class DemoScriptTest {

    private static final List<String> APPS = List.of("llm-simulator", "sampler-service", "scorer-service", "trainer-service", "gateway");

    @Test
    void theDemoTrainsPromotesAndServesADlnAndStopsEverything() throws IOException {
        Path root = Repository.root();
        for (String app : APPS) {
            Path jar = Repository.quarkusJar(app);
            assertTrue(Files.isRegularFile(jar), jar + " is missing: package the services first (./mvnw -q install -DskipTests)");
        }
        Path target = Path.of("target").toAbsolutePath();
        Path demoDir = target.resolve("demo");
        Path kafkaDir = target.resolve("demo-kafka");
        deleteTree(kafkaDir); // KRaft remembers its controller's port: a new port needs a new data directory
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CI", "true");
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("DLN_DEMO_DIR", demoDir.toString());
        env.put("DLN_DEMO_TENANT", "demo-test-" + UUID.randomUUID().toString().substring(0, 8));
        env.put("DLN_DB_URL", Db.URL);
        env.put("DLN_DB_USER", Db.USER);
        env.put("KAFKA_PORT", String.valueOf(FreePorts.next()));
        env.put("KAFKA_CONTROLLER_PORT", String.valueOf(FreePorts.next()));
        env.put("KAFKA_DATA_DIR", kafkaDir.toString());
        env.put("DLN_GATEWAY_PORT", String.valueOf(FreePorts.next()));
        env.put("DLN_SIMULATOR_PORT", String.valueOf(FreePorts.next()));
        env.put("DLN_TRAINER_PORT", String.valueOf(FreePorts.next()));
        env.put("DLN_SAMPLER_PORT", String.valueOf(FreePorts.next()));
        env.put("DLN_SCORER_PORT", String.valueOf(FreePorts.next()));

        Commands.Result demo;
        try {
            demo = Commands.run(List.of("bash", root.resolve("dln").toString(), "demo", "--ci", "--no-build"), env, Duration.ofMinutes(10));
        } finally {
            Commands.run(List.of("bash", root.resolve("dln").toString(), "down"), env, Duration.ofMinutes(2));
        }
        String out = demo.all();

        assertEquals(0, demo.code(), demo.toString());
        assertTrue(Pattern.compile("(?m)^Best dev accuracy: +\\d+\\.\\d%$").matcher(out).find(), out);
        Matcher test = Pattern.compile("(?m)^Test accuracy: +(\\d+\\.\\d)%$").matcher(out);
        assertTrue(test.find(), "the final accuracy line: " + out);
        assertTrue(Double.parseDouble(test.group(1)) > 0, out);
        assertTrue(Pattern.compile("(?m)^Run \\S+ SUCCEEDED: DLN-2 'sum-parity-ci'").matcher(out).find(), "its own model name: " + out);
        assertTrue(out.contains("sum-parity-ci:prod now points at version 1"), out);
        String gateway = "http://localhost:" + env.get("DLN_GATEWAY_PORT");
        assertTrue(out.contains("from openai import OpenAI") && out.contains("curl -s " + gateway + "/v1/chat/completions"),
                "shows how to call it: " + out);
        assertTrue(out.contains("Studio: " + gateway + "/studio"), out);

        // several held-out test examples with their expected answers, and the accuracy over all of them
        Matcher answers = Pattern.compile("(?m)^  \\[(right|WRONG)\\] .+\\n +answer: (even|odd) +expected: (even|odd)$").matcher(out);
        int shown = 0;
        while (answers.find()) {
            shown++;
            assertEquals(answers.group(1).equals("right"), answers.group(2).equals(answers.group(3)), answers.group());
        }
        assertEquals(8, shown, "eight of the 12 test examples shown: " + out);
        Matcher accuracy = Pattern.compile("(?m)^Accuracy over these 12: (\\d+)/12 = \\d+\\.\\d%$").matcher(out);
        assertTrue(accuracy.find(), out);
        assertTrue(out.contains("(" + accuracy.group(1) + "/12 = "), "Demo OK repeats the accuracy: " + out);
        assertTrue(Pattern.compile("curl /v1/chat/completions answered: \\{.*\"content\":\"(even|odd)\"").matcher(out).find(), out);
        assertTrue(out.contains("Demo OK: the platform worked end to end."), out);

        assertTrue(out.contains("Stopping everything the demo started"), out);
        for (String app : APPS) assertFalse(Files.exists(demoDir.resolve(app + ".pid")), app + " was stopped");
        for (String port : List.of("DLN_GATEWAY_PORT", "DLN_SIMULATOR_PORT", "DLN_TRAINER_PORT", "DLN_SAMPLER_PORT",
                "DLN_SCORER_PORT", "KAFKA_PORT")) {
            assertFalse(listening(Integer.parseInt(env.get(port))), port + " is closed again");
        }
    }

    private static boolean listening(int port) {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
