package io.dln.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dln.core.template.TemplateLibrary;
import io.dln.gateway.support.Api;
import io.dln.gateway.support.Fixtures;
import io.dln.gateway.support.GatewayTestResources;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Inference overhead of the gateway over its backend's own latency: the same completions call the gateway makes for
 * a one-input predict on a DLN-1 with output classes, sent straight to the simulator, against the predict through the
 * gateway (key check, rate limit, model lookup, templates, JSON both ways). Run with
 * {@code ./mvnw verify -Pbenchmark -pl gateway}, which gives the simulator a fixed 200 ms time to first token, about
 * what a served LLM takes to start answering a short prompt, and with {@code -Dgateway.test.simulator.ttft=20ms} for a
 * backend ten times faster: 64 clients then ask for about 3,000 calls a second.
 */
@QuarkusTest
@Tag("benchmark")
@WithTestResource(value = GatewayTestResources.class, scope = TestResourceScope.GLOBAL)
class InferenceOverheadBenchmarkTest {

    private static final String PROMPT = "Answer yes or no.";
    private static final String INPUT = "Is water wet?";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void inferenceOverhead() throws Exception {
        String tenant = Api.tenant("bench");
        String key = Api.key(tenant, "inference", Map.of("requestsPerSecond", 1_000_000, "burst", 1_000_000));
        Fixtures.model(tenant, "bench", 1, 1, List.of("yes|Yes", "no|No"), "", PROMPT);

        // distinct inputs, the same on both paths, so that no cache anywhere answers for the backend
        List<HttpRequest> direct = new ArrayList<>();
        List<HttpRequest> gateway = new ArrayList<>();
        var forward = TemplateLibrary.builtIn().get("forward");
        for (int i = 0; i < 200; i++) {
            String input = INPUT + " (case " + i + ")";
            String context = forward.render(Map.of("prompt", PROMPT, "input", input));
            direct.add(HttpRequest.newBuilder(URI.create(GatewayTestResources.simulatorUrl() + "/v1/completions"))
                    .header("Authorization", "Bearer " + GatewayTestResources.backendKey())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("model", "dln-simulator",
                            "prompt", context, "max_tokens", 1, "temperature", 0.0, "logprobs", 20))))
                    .build());
            gateway.add(HttpRequest.newBuilder(URI.create(Api.baseUri() + "/api/models/bench/predict"))
                    .header("Authorization", "Bearer " + key)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("inputs", List.of(input)))))
                    .build());
        }

        // about 10 s per single-client measurement, whatever the backend's latency
        String ttft = System.getProperty("gateway.test.simulator.ttft", "0s");
        long ttftMillis = ttft.endsWith("ms") ? Long.parseLong(ttft.substring(0, ttft.length() - 2))
                : (long) (Double.parseDouble(ttft.substring(0, ttft.length() - 1)) * 1000);
        int single = (int) Math.max(100, Math.min(500, 10_000 / Math.max(1, ttftMillis)));
        List<String> rows = new ArrayList<>();
        List<String> inside = new ArrayList<>();
        List<String> cpuRows = new ArrayList<>();
        // a gateway serves many calls between restarts: both paths get a few thousand calls of JIT warm-up first
        Duration spread = Duration.ofMillis(ttftMillis);
        run(direct, 64, 40, spread);
        run(gateway, 64, 40, spread);
        for (int clients : new int[]{1, 64}) {
            // warm-up at the measured concurrency: JIT, and as many pooled connections as there are clients
            run(direct, clients, clients == 1 ? Math.min(300, single) : 30, spread);
            run(gateway, clients, clients == 1 ? Math.min(300, single) : 30, spread);
            int perClient = clients == 1 ? single : 100;
            long[] cpu0 = cpu();
            Stats d = run(direct, clients, perClient, spread);
            long[] cpu1 = cpu();
            Map<String, double[]> before = gatewayTimers();
            Stats g = run(gateway, clients, perClient, spread);
            Map<String, double[]> after = gatewayTimers();
            long[] cpu2 = cpu();
            // with one client the JVM's background work (JIT, scheduled tasks) outweighs the calls: only busy rows tell
            if (clients > 1) cpuRows.add(String.format("%8d | %26.3f | %27.3f | %29.3f", clients,
                    (cpu1[0] - cpu0[0] + cpu1[1] - cpu0[1]) / 1e6 / d.count,
                    (cpu2[0] - cpu1[0] + cpu2[1] - cpu1[1]) / 1e6 / g.count,
                    ((cpu2[0] - cpu1[0]) / (double) g.count - (cpu1[0] - cpu0[0]) / (double) d.count) / 1e6));
            rows.add(String.format("%8d | %7d | %13.2f | %11.2f | %14.2f | %12.2f | %15.2f | %12.2f | %8.0f | %8.0f",
                    clients, d.count, d.median, d.p99, g.median, g.p99, g.median - d.median, g.p99 - d.p99, d.perSecond, g.perSecond));
            inside.add(String.format("%8d | %17.2f | %15.2f | %19.2f", clients, meanMillis(before, after, "http_server_requests"),
                    meanMillis(before, after, "dln_gateway_inference"), meanMillis(before, after, "dln_llm_calls")));
        }
        System.out.printf("%n=== gateway inference overhead (simulator time to first token: %s) ===%n",
                System.getProperty("gateway.test.simulator.ttft", "0s"));
        System.out.println(" clients | calls   | direct median | direct p99  | gateway median | gateway p99  | overhead median | overhead p99 | direct/s | gateway/s   (ms; calls per second)");
        rows.forEach(System.out::println);
        System.out.println("target: overhead median <= 5 ms");
        System.out.println("where the gateway's time goes, by its own timers (means, ms):");
        System.out.println(" clients | request in server | predict method | backend call inside");
        inside.forEach(System.out::println);
        System.out.println("CPU per call under load (ms; this JVM holds the clients and the gateway, plus the simulator's process):");
        System.out.println(" clients | direct: clients + simulator | through the gateway, all of it | the gateway's own (difference)");
        cpuRows.forEach(System.out::println);
    }

    /** CPU time used so far, in nanoseconds: this JVM (clients and gateway), and the simulator. */
    private static long[] cpu() {
        return new long[]{
                ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO).toNanos(),
                ProcessHandle.of(GatewayTestResources.simulatorPid()).flatMap(h -> h.info().totalCpuDuration())
                        .orElse(Duration.ZERO).toNanos()};
    }

    /** Sum and count of the gateway's request, inference and backend-call timers on the predict path. */
    private Map<String, double[]> gatewayTimers() throws Exception {
        String text = http.send(HttpRequest.newBuilder(URI.create(Api.baseUri() + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Map<String, double[]> timers = new java.util.HashMap<>();
        for (String sample : text.split("\n")) {
            // with tracing on, a sample may end in a trace exemplar (" # {trace_id=...} value timestamp")
            String line = sample.contains(" # ") ? sample.substring(0, sample.indexOf(" # ")) : sample;
            String name = line.startsWith("http_server_requests") && line.contains("predict") ? "http_server_requests"
                    : line.startsWith("dln_gateway_inference") ? "dln_gateway_inference"
                    : line.startsWith("dln_llm_calls") ? "dln_llm_calls" : null;
            if (name == null || !line.contains("outcome=\"") || line.contains("outcome=\"error\"")) continue;
            double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            if (line.contains("_seconds_sum")) timers.computeIfAbsent(name, k -> new double[2])[0] += value;
            if (line.contains("_seconds_count")) timers.computeIfAbsent(name, k -> new double[2])[1] += value;
        }
        return timers;
    }

    private static double meanMillis(Map<String, double[]> before, Map<String, double[]> after, String timer) {
        double[] b = before.getOrDefault(timer, new double[2]);
        double[] a = after.getOrDefault(timer, new double[2]);
        return a[1] > b[1] ? (a[0] - b[0]) * 1000 / (a[1] - b[1]) : Double.NaN;
    }

    /**
     * Each client sends its calls one after the other. Their first calls are spread evenly over {@code spread} (the
     * backend's latency), as independent callers arrive: started in the same instant, the clients of a backend
     * with a fixed latency would stay in lock-step and measure a burst of all of them every round instead.
     */
    private Stats run(List<HttpRequest> requests, int clients, int perClient, Duration spread) throws Exception {
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        long began = System.nanoTime();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Void>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                done.add(pool.submit((Callable<Void>) () -> {
                    Thread.sleep(spread.multipliedBy(client).dividedBy(clients));
                    for (int i = 0; i < perClient; i++) {
                        HttpRequest request = requests.get((client * perClient + i) % requests.size());
                        long start = System.nanoTime();
                        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                        latencies.add(System.nanoTime() - start);
                        assertEquals(200, response.statusCode(), response.body());
                    }
                    return null;
                }));
            }
            for (Future<Void> f : done) f.get();
        }
        return Stats.of(latencies, System.nanoTime() - began);
    }

    private record Stats(int count, double median, double p99, double perSecond) {
        static Stats of(List<Long> nanos, long wallNanos) {
            List<Long> sorted = new ArrayList<>(nanos);
            Collections.sort(sorted);
            return new Stats(sorted.size(), sorted.get(sorted.size() / 2) / 1e6,
                    sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.99) - 1)) / 1e6,
                    sorted.size() / (wallNanos / 1e9));
        }
    }
}
