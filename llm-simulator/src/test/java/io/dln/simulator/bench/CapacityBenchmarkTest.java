package io.dln.simulator.bench;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * (b) With latency L per request and capacity C, throughput should be C / L once the queue is never
 * empty. Prints the measured throughput, C / L and their ratio (target within 10%).
 */
@QuarkusTest
@Tag("benchmark")
@TestProfile(CapacityBenchmarkTest.Limited.class)
class CapacityBenchmarkTest {

    static final int CAPACITY = 16;
    static final int LATENCY_MS = 50;

    public static class Limited implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("simulator.latency.ttft", LATENCY_MS + "ms",
                    "simulator.latency.per-token", "0ms",
                    "simulator.capacity.max-concurrent", Integer.toString(CAPACITY));
        }
    }

    @TestHTTPResource("/v1/completions")
    URL url;

    @Test
    void throughputMatchesCapacityOverLatency() throws Exception {
        String body = "{\"prompt\":\"### Input\\nIs the sum of 12, 7 and 30 even or odd?\\n\\n### Answer\\n\","
                + "\"max_tokens\":1,\"logprobs\":2,\"temperature\":0}";
        int inFlight = 4 * CAPACITY;
        try (LoadDriver driver = new LoadDriver(url, inFlight)) {
            driver.run(body, 1_000, inFlight, 120); // warm-up
            LoadDriver.Result r = driver.run(body, 2_000, inFlight, 120);
            double bound = CAPACITY * 1000.0 / LATENCY_MS;
            System.out.printf("%n[benchmark] (b) L = %d ms, C = %d, %d in flight, %d requests: %.1f req/s vs C/L = %.1f req/s,"
                            + " ratio %.3f (target 0.9-1.1), p50 %.1f ms, failures %d, load average %s%n%n",
                    LATENCY_MS, CAPACITY, inFlight, r.requests(), r.perSecond(), bound, r.perSecond() / bound,
                    r.percentileMicros(0.5) / 1000.0, r.failures(), LoadDriver.loadAverage());
        }
    }
}
