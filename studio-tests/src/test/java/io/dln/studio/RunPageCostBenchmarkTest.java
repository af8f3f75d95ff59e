package io.dln.studio;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dln.tasks.TaskFamily;
import io.dln.tasks.TaskWorld;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What a run page with 200 iterations costs to load in the browser: the time from navigation until its three charts
 * hold all 200 points, and the bytes transferred, with an empty cache and with a warm one. The 200 iterations are
 * copies of a real run's iteration rows (prompts and candidates as the trainer wrote them), made in PostgreSQL.
 * Prints the medians of five loads each, as ratios to a bound of 1 s and 1 MB, and writes them to
 * target/benchmarks/studio-run-page.json. Run with {@code ./mvnw verify -Pbenchmark -pl studio-tests}.
 */
@Tag("benchmark")
class RunPageCostBenchmarkTest {

    private static final int ITERATIONS = 200;
    private static final int LOADS = 5;
    private static final double TIME_BOUND_MS = 1000;
    private static final double BYTES_BOUND = 1_000_000;

    private static StudioSystem system;
    private static Browser browser;

    @BeforeAll
    static void start() {
        Browser.requireChromium();
        system = new StudioSystem("0ms");
        browser = Browser.start();
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.close();
        if (system != null) system.close();
    }

    @Test
    void runPageWithTwoHundredIterations() throws Exception {
        GatewayApi operator = new GatewayApi(system.gateway.baseUrl(), system.adminKey);
        String key = operator.createKey("bench-" + UUID.randomUUID().toString().substring(0, 8), "admin", StudioSystem.TENANT);
        GatewayApi api = operator.as(key);
        TaskFamily task = TaskWorld.standard().byName("basket-totals").orElseThrow();
        String dataset = api.uploadDataset("bench-" + UUID.randomUUID().toString().substring(0, 8), task,
                GatewayApi.jsonLines(task.generate(8, 40), 24, 8)).get("id").asText();
        String source = api.startRun(dataset, "bench-source", 2, 1, s -> s.put("iterations", 2).put("batchSize", 8)
                .put("pSamples", 4).put("hSamples", 3).put("validateEvery", 1)).get("id").asText();
        api.awaitStatus(source, Duration.ofMinutes(3), "SUCCEEDED");
        UUID run = copyWithIterations(UUID.fromString(source), ITERATIONS);

        browser.open(system.studioUrl() + "#/signin");
        browser.js("sessionStorage.setItem('dln.studio.token', arguments[0])", key);
        // records, inside the page, when every chart holds all its points
        browser.driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", """
                new MutationObserver(() => {
                    if (window.studioDrawnAt) return;
                    const charts = document.querySelectorAll('figure.chart[data-points="%d"] canvas');
                    if (charts.length >= 3) window.studioDrawnAt = performance.now();
                }).observe(document, {subtree: true, childList: true, attributes: true});""".formatted(ITERATIONS + 1)));
        List<double[]> cold = new ArrayList<>(), warm = new ArrayList<>();
        String url = system.studioUrl() + "#/runs/" + run;
        for (int i = 0; i < LOADS; i++) {
            browser.driver.executeCdpCommand("Network.enable", Map.of());
            browser.driver.executeCdpCommand("Network.setCacheDisabled", Map.of("cacheDisabled", true));
            cold.add(load(url));
            browser.driver.executeCdpCommand("Network.setCacheDisabled", Map.of("cacheDisabled", false));
            load(url);
            warm.add(load(url));
        }
        double[] c = median(cold), w = median(warm);
        String uptime = Files.readString(Path.of("/proc/loadavg")).strip();
        System.out.printf("""
                Studio run page, %d iterations (median of %d loads; load average %s):
                  empty cache: %.0f ms until the charts are drawn = %.2f x the 1 s bound; %.0f bytes transferred = %.2f x the 1 MB bound (%.0f of them the run's history)
                  warm cache:  %.0f ms = %.2f x the bound; %.0f bytes transferred = %.2f x the bound
                """, ITERATIONS + 1, LOADS, uptime, c[0], c[0] / TIME_BOUND_MS, c[1], c[1] / BYTES_BOUND, c[2],
                w[0], w[0] / TIME_BOUND_MS, w[1], w[1] / BYTES_BOUND);
        ObjectNode json = GatewayApi.JSON.createObjectNode().put("iterations", ITERATIONS + 1).put("loads", LOADS)
                .put("loadAverage", uptime).put("coldMillis", c[0]).put("coldBytes", c[1]).put("historyBytes", c[2])
                .put("warmMillis", w[0]).put("warmBytes", w[1]).put("timeBoundMillis", TIME_BOUND_MS).put("bytesBound", BYTES_BOUND);
        Path out = Path.of("target", "benchmarks", "studio-run-page.json");
        Files.createDirectories(out.getParent());
        Files.writeString(out, json.toPrettyString());
        browser.screenshot("run-200-iterations", false);
    }

    /** [milliseconds until drawn, bytes transferred, bytes of the history response] of one fresh load of the page. */
    private static double[] load(String url) {
        browser.open("about:blank");
        browser.open(url);
        browser.await(d -> browser.js("return window.studioDrawnAt || null"), Duration.ofSeconds(60));
        @SuppressWarnings("unchecked")
        List<Number> figures = (List<Number>) browser.js("""
                const entries = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')];
                const history = entries.filter(e => e.name.endsWith('/iterations')).reduce((a, e) => a + e.transferSize, 0);
                return [window.studioDrawnAt, entries.reduce((a, e) => a + e.transferSize, 0), history];""");
        return new double[]{figures.get(0).doubleValue(), figures.get(1).doubleValue(), figures.get(2).doubleValue()};
    }

    private static double[] median(List<double[]> samples) {
        double[] result = new double[samples.getFirst().length];
        for (int k = 0; k < result.length; k++) {
            final int column = k;
            double[] values = samples.stream().mapToDouble(s -> s[column]).sorted().toArray();
            result[k] = values[values.length / 2];
        }
        return result;
    }

    /** A finished run like {@code source}, with iterations 0..count, each a copy of the source's iteration 1. */
    private static UUID copyWithIterations(UUID source, int count) throws Exception {
        UUID copy = UUID.randomUUID();
        try (Connection c = DriverManager.getConnection(StudioSystem.DB_URL, StudioSystem.DB_USER,
                System.getenv().getOrDefault("DLN_DB_PASSWORD", ""))) {
            c.setAutoCommit(false);
            try (PreparedStatement s = c.prepareStatement("""
                    INSERT INTO runs (id, tenant, dataset_id, model_name, status, settings, forward_backend, backward_backend,
                                      scoring_backend, seed, tokens_used, iteration, iterations, dev_accuracy, best_dev_accuracy,
                                      test_accuracy, best_p1, best_p2, started_at, finished_at)
                    SELECT ?, tenant, dataset_id, model_name || '-200', 'SUCCEEDED', jsonb_set(settings, '{iterations}', to_jsonb(?)),
                           forward_backend, backward_backend, scoring_backend, seed, tokens_used * ?, ?, ?, dev_accuracy,
                           best_dev_accuracy, test_accuracy, best_p1, best_p2, started_at, finished_at
                    FROM runs WHERE id = ?""")) {
                s.setObject(1, copy);
                s.setInt(2, count);
                s.setInt(3, count);
                s.setInt(4, count);
                s.setInt(5, count);
                s.setObject(6, source);
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("""
                    INSERT INTO run_iterations (run_id, iteration, p1, p2, dev_accuracy, elbo, elbo1, elbo2, batch_accuracy,
                                                candidates, tokens_used)
                    SELECT ?, g, p1, p2, least(1, dev_accuracy + g / 1000.0), elbo + g / 500.0, elbo1 + g / 1000.0,
                           elbo2 + g / 1000.0, (g % 5) / 5.0, candidates, tokens_used * (g + 1)
                    FROM run_iterations, generate_series(0, ?) g WHERE run_id = ? AND iteration = 1""")) {
                s.setObject(1, copy);
                s.setInt(2, count);
                s.setObject(3, source);
                s.executeUpdate();
            }
            c.commit();
        }
        return copy;
    }
}
