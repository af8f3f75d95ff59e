package io.dln.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dln.core.model.DlnSettings;
import io.dln.core.template.TemplateLibrary;
import io.dln.testkit.KafkaBroker;
import io.dln.testkit.ServiceProcess;
import io.dln.testkit.SimulatorProcess;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The hostile test of issue 13, item 1, as a benchmark: the real gateway JVM with {@code -Xmx256m}, 320 connections
 * without a key each declaring a 1,000,000-byte predict body and sending it slowly (they reconnect whenever the
 * gateway closes them), while one authorised client keeps calling predict. Printed and written to
 * {@code target/benchmarks/gateway-flood.json}: the gateway's heap during the flood, the authorised call's latency
 * before, during and after, and how long the gateway takes to serve at its normal latency again. Then the same with
 * authorised slow bodies, which the body budget holds to {@code dln.gateway.limits.body-budget}.
 * Run: {@code ./mvnw -B verify -Pbenchmark -pl pipeline-tests -Dtest=GatewayFloodBenchmarkTest} (services packaged).
 */
@Tag("benchmark")
class GatewayFloodBenchmarkTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN_KEY = "flood-admin-" + UUID.randomUUID();
    private static final String TENANT = "benchmark-flood";
    private static final int CONNECTIONS = Integer.getInteger("benchmark.flood.connections", 320);
    private static final Duration FLOOD = Duration.ofSeconds(Long.getLong("benchmark.flood.seconds", 30));

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void floodsOfSlowBodiesNeitherExhaustNorStallTheGateway() throws Exception {
        KafkaBroker.ensureRunning();
        try (SimulatorProcess simulator = SimulatorProcess.start(Map.of("simulator.latency.ttft", "20ms"))) {
            ServiceProcess gateway = ServiceProcess.builder("gateway")
                    .systemProperty("kafka.bootstrap.servers", KafkaBroker.ensureRunning())
                    .systemProperty("quarkus.datasource.jdbc.url", Db.URL)
                    .systemProperty("quarkus.datasource.username", Db.USER)
                    .systemProperty("dln.gateway.security.bootstrap-tenant", TENANT)
                    .systemProperty("dln.gateway.security.bootstrap-admin-key", ADMIN_KEY)
                    .systemProperty("dln.gateway.tenant-defaults.max-requests-per-second", "100000")
                    .systemProperty("dln.gateway.tenant-defaults.max-burst", "100000")
                    .systemProperty("dln.backends.simulator.base-url", simulator.baseUrl() + "/v1")
                    .systemProperty("dln.backends.simulator.model", "dln-simulator")
                    .start();
            try {
                run(gateway);
            } finally {
                gateway.stop();
            }
        }
    }

    private void run(ServiceProcess gateway) throws Exception {
        String base = gateway.baseUrl();
        String key = JSON.readTree(send(base + "/api/admin/keys", ADMIN_KEY, Map.of("name", "flood-client", "role", "admin",
                "requestsPerSecond", 100000, "burst", 100000)).body()).get("key").asText();
        String model = "flood-" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> imported = send(base + "/api/models/import", key, modelDocument(model));
        assertEquals(201, imported.statusCode(), imported.body());
        String predict = base + "/api/models/" + model + "/predict";

        Latencies warm = calls(predict, key, 300);
        Latencies before = calls(predict, key, 200);
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("connections", CONNECTIONS);
        figures.put("floodSeconds", FLOOD.toSeconds());
        figures.put("before", before.summary());
        figures.put("heapBeforeMb", heapMb(base));
        figures.put("unauthenticated", flood(base, gateway.port(), predict, key, null));
        figures.put("authorisedSlowBodies", flood(base, gateway.port(), predict, key, key));
        figures.put("machineLoad", Files.readString(Path.of("/proc/loadavg")).strip());

        String json = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(figures);
        Path out = Path.of("target", "benchmarks", "gateway-flood.json");
        Files.createDirectories(out.getParent());
        Files.writeString(out, json);
        System.out.printf("%n=== gateway under a flood of slow bodies (%d connections, %d s, -Xmx256m; warm-up median %.2f ms) ===%n%s%n",
                CONNECTIONS, FLOOD.toSeconds(), warm.median(), json);
    }

    /**
     * {@link #CONNECTIONS} connections send slow 1,000,000-byte bodies (with {@code floodKey}, or none) for
     * {@link #FLOOD}; one client calls predict meanwhile and after. Returns what was measured.
     */
    private Map<String, Object> flood(String base, int port, String predict, String key, String floodKey) throws Exception {
        AtomicBoolean flooding = new AtomicBoolean(true);
        AtomicLong connections = new AtomicLong();
        Map<Integer, AtomicLong> answers = new java.util.concurrent.ConcurrentHashMap<>();
        List<Double> heap = Collections.synchronizedList(new ArrayList<>());
        List<Double> live = Collections.synchronizedList(new ArrayList<>());
        List<Long> during = Collections.synchronizedList(new ArrayList<>());
        List<Long> liveness = Collections.synchronizedList(new ArrayList<>());
        long started = System.nanoTime();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < CONNECTIONS; i++) {
                pool.submit(() -> {
                    while (flooding.get()) slowBody(port, floodKey, flooding, connections, answers);
                    return null;
                });
            }
            pool.submit(() -> {
                while (flooding.get()) {
                    heap.add(heapMb(base));
                    live.add(liveMb(base));
                    long t = System.nanoTime();
                    int status = http.send(HttpRequest.newBuilder(URI.create(base + "/q/health/live")).timeout(Duration.ofSeconds(30)).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode();
                    if (status == 200) liveness.add(System.nanoTime() - t);
                    Thread.sleep(500);
                }
                return null;
            });
            Thread.sleep(2_000); // the flood builds up
            int refused = 0;
            while (System.nanoTime() - started < FLOOD.toNanos()) {
                long t = System.nanoTime();
                HttpResponse<String> response = call(predict, key);
                if (response.statusCode() == 200) during.add(System.nanoTime() - t);
                else refused++;
            }
            flooding.set(false);
            long ended = System.nanoTime();
            pool.shutdownNow();
            Latencies after = recover(predict, key);
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("floodConnectionsMade", connections.get());
            result.put("floodAnswers", answers.entrySet().stream().collect(java.util.stream.Collectors.toMap(
                    e -> String.valueOf(e.getKey()), e -> e.getValue().get())));
            result.put("heapDuringMbMax", max(heap));
            result.put("heapDuringMbMedian", median(heap));
            result.put("liveHeapAfterGcDuringMbMax", max(live));
            result.put("authorisedDuring", new Latencies(during).summary());
            result.put("authorisedRefusedDuring", refused);
            result.put("livenessDuringMsMax", liveness.stream().mapToLong(Long::longValue).max().orElse(-1) / 1e6);
            result.put("recoverySeconds", (after.recoveredAt - ended) / 1e9);
            result.put("after", after.summary());
            result.put("heapAfterMb", heapMb(base));
            result.put("liveHeapAfterGcAfterMb", liveMb(base));
            return result;
        }
    }

    /** One flooding connection: the head, then the body 10 KB at a time, until the gateway answers or closes it. */
    private static void slowBody(int port, String key, AtomicBoolean flooding, AtomicLong connections, Map<Integer, AtomicLong> answers) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(1);
            connections.incrementAndGet();
            OutputStream out = socket.getOutputStream();
            String head = "POST /api/models/m/predict HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + (key == null ? "" : "Authorization: Bearer " + key + "\r\n") + "Content-Length: 1000000\r\n\r\n";
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            byte[] chunk = new byte[10_000];
            java.util.Arrays.fill(chunk, (byte) 'x');
            for (int sent = 0; sent < 999_000 && flooding.get(); sent += chunk.length) {
                out.write(chunk, 0, Math.min(chunk.length, 999_000 - sent));
                out.flush();
                int status = status(socket);
                if (status > 0) {
                    answers.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
                    return;
                }
                Thread.sleep(100);
            }
        } catch (IOException e) {
            // closed by the gateway: connect again
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The status of a response already there, or 0. */
    private static int status(Socket socket) throws IOException {
        byte[] line = new byte[12];
        try {
            int n = socket.getInputStream().read(line);
            if (n < 0) throw new IOException("closed");
            String text = new String(line, 0, n, StandardCharsets.ISO_8859_1);
            return text.startsWith("HTTP/1.1 ") && n >= 12 ? Integer.parseInt(text.substring(9, 12)) : 0;
        } catch (java.net.SocketTimeoutException e) {
            return 0;
        }
    }

    /** Calls predict until the latency is back to normal; recoveredAt is when five calls in a row were. */
    private Latencies recover(String predict, String key) throws Exception {
        List<Long> all = new ArrayList<>();
        int good = 0;
        long recoveredAt = 0;
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            long t = System.nanoTime();
            HttpResponse<String> response = call(predict, key);
            long took = System.nanoTime() - t;
            boolean ok = response.statusCode() == 200 && took < 100_000_000L;
            if (ok && good++ == 0) recoveredAt = t;
            if (!ok) good = 0;
            if (response.statusCode() == 200) all.add(took);
            if (good == 5) break;
        }
        Latencies after = new Latencies(all);
        after.recoveredAt = recoveredAt;
        return after;
    }

    private Latencies calls(String predict, String key, int n) throws Exception {
        List<Long> nanos = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            HttpResponse<String> response = call(predict, key);
            assertEquals(200, response.statusCode(), response.body());
            nanos.add(System.nanoTime() - t);
        }
        return new Latencies(nanos);
    }

    private HttpResponse<String> call(String predict, String key) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(predict)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"inputs\": [\"Is water wet?\"]}")).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> send(String url, String key, Object body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Heap in use (live objects and garbage not yet collected), from the gateway's own metrics (MB). */
    private double heapMb(String base) {
        return metricMb(base, "jvm_memory_used_bytes{", "area=\"heap\"");
    }

    /** What the last collection of the old generation left alive (MB): the heap the gateway really holds. */
    private double liveMb(String base) {
        return metricMb(base, "jvm_gc_live_data_size_bytes", "");
    }

    private double metricMb(String base, String prefix, String label) {
        try {
            String text = http.send(HttpRequest.newBuilder(URI.create(base + "/q/metrics")).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            double bytes = 0;
            for (String line : text.split("\n")) {
                if (line.startsWith(prefix) && line.contains(label)) {
                    bytes += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return bytes / 1e6;
        } catch (Exception e) {
            return Double.NaN;
        }
    }

    private static Map<String, Object> modelDocument(String name) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("format", "dln-model/1");
        doc.put("name", name);
        doc.put("layers", 1);
        doc.put("prompts", Map.of("p1", "", "p2", "Answer yes or no."));
        doc.put("outputClasses", List.of("yes|Yes", "no|No"));
        doc.put("loss", "exact_match");
        doc.put("settings", DlnSettings.defaults());
        doc.put("templates", Map.of("forward", TemplateLibrary.builtIn().get("forward")));
        doc.put("forwardBackend", "simulator");
        return doc;
    }

    /** Samples the gateway did not answer in time are left out. */
    private static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).filter(v -> !Double.isNaN(v)).max().orElse(Double.NaN);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values.stream().filter(v -> !Double.isNaN(v)).toList());
        Collections.sort(sorted);
        return sorted.isEmpty() ? Double.NaN : sorted.get(sorted.size() / 2);
    }

    private static final class Latencies {
        final List<Long> nanos;
        long recoveredAt;

        Latencies(List<Long> nanos) {
            this.nanos = new ArrayList<>(nanos);
            Collections.sort(this.nanos);
        }

        double median() {
            return nanos.isEmpty() ? Double.NaN : nanos.get(nanos.size() / 2) / 1e6;
        }

        Map<String, Object> summary() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("calls", nanos.size());
            m.put("medianMs", median());
            m.put("p99Ms", nanos.isEmpty() ? Double.NaN : nanos.get(Math.min(nanos.size() - 1, (int) Math.ceil(nanos.size() * 0.99) - 1)) / 1e6);
            m.put("maxMs", nanos.isEmpty() ? Double.NaN : nanos.getLast() / 1e6);
            return m;
        }
    }
}
