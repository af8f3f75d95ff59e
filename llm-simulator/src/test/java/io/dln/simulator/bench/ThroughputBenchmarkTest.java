package io.dln.simulator.bench;

import io.dln.simulator.world.Templates;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * (a) Requests per second at zero latency on loopback with many concurrent requests. Prints, does
 * not assert; the target is at least 5,000 req/s. Run: ./mvnw -B verify -Pbenchmark -pl llm-simulator
 */
@QuarkusTest
@Tag("benchmark")
class ThroughputBenchmarkTest {

    static final String INPUT = "If you follow these instructions, do you return to the starting point? Always face forward."
            + " Take 1 step backward. Take 9 steps left. Take 2 steps backward. Take 6 steps forward. Take 4 steps forward."
            + " Take 4 steps backward. Take 3 steps right.\nOptions:\n- Yes\n- No";

    @TestHTTPResource("/v1/completions")
    URL url;

    @Test
    void zeroLatencyThroughput() throws Exception {
        // a class-scoring call as the scorer sends it: first-token top-k after a rendered forward prompt
        String prompt = Templates.forward("Decide whether the walk returns to where it began.", INPUT);
        String body = "{\"model\":\"dln-simulator\",\"prompt\":" + io.dln.simulator.api.ApiJson.quote(prompt)
                + ",\"max_tokens\":1,\"logprobs\":5,\"temperature\":0}";
        try (LoadDriver driver = new LoadDriver(url, 64)) {
            warmUp(driver, body);
            LoadDriver.Result r = driver.run(body, 60_000, 64, 300);
            System.out.printf("%n[benchmark] (a) zero latency, 64 concurrent, %d requests: %.0f req/s"
                            + " (target >= 5000), p50 %.2f ms, p99 %.2f ms, failures %d, load average %s;%n"
                            + "[benchmark]     CPU per request %.0f us (simulator and load driver in one JVM), so a CPU-bound estimate of %.0f req/s"
                            + " on %d idle cores%n%n",
                    r.requests(), r.perSecond(), r.percentileMicros(0.5) / 1000.0, r.percentileMicros(0.99) / 1000.0,
                    r.failures(), LoadDriver.loadAverage(), r.cpuMicrosPerRequest(),
                    Runtime.getRuntime().availableProcessors() * 1e6 / r.cpuMicrosPerRequest(), Runtime.getRuntime().availableProcessors());
        }
        // the floor set by HTTP, Quarkus REST and the load driver: the cheapest endpoint
        try (LoadDriver driver = new LoadDriver(url, "/v1/models", 64)) {
            warmUp(driver, null);
            LoadDriver.Result r = driver.run(null, 30_000, 64, 300);
            System.out.printf("[benchmark]     reference GET /v1/models: %.0f req/s, CPU per request %.0f us%n%n",
                    r.perSecond(), r.cpuMicrosPerRequest());
        }
    }

    /**
     * Rounds of 20,000 requests until throughput settles (the JIT compiler has done its work; on a busy
     * machine that takes 100,000 requests or more), at most ten rounds or 90 seconds.
     */
    private static void warmUp(LoadDriver driver, String body) throws InterruptedException {
        double previous = 0;
        long deadline = System.nanoTime() + 90_000_000_000L;
        for (int round = 0; round < 10 && System.nanoTime() < deadline; round++) {
            double rate = driver.run(body, 20_000, 64, 300).perSecond();
            System.out.printf("[benchmark]     warm-up round %d: %.0f req/s%n", round + 1, rate);
            if (round > 0 && Math.abs(rate - previous) < 0.05 * previous) return;
            previous = rate;
        }
    }
}
