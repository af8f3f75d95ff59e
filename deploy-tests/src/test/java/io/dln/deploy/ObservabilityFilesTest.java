package io.dln.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Grafana dashboard and the Prometheus alert rules: promtool accepts the rules and their unit tests
 * (observability/*.test.yml) and parses every dashboard query; the dashboard is well-formed; every metric they
 * name is declared by the services' code or is a framework metric (ExportedMetricsTest then checks the names
 * against a real scrape).
 */
class ObservabilityFilesTest {

    /** Metric families the frameworks export (Quarkus HTTP server, JVM, Kafka clients), not declared in our code. */
    static final List<String> FRAMEWORK_PREFIXES = List.of("http_server_", "jvm_", "kafka_consumer_", "kafka_producer_", "process_", "system_");

    @Test
    void promtoolAcceptsTheAlertRules() {
        Path promtool = Tools.require("promtool", "it checks the alert rules (Debian package prometheus)");
        System.out.println("[deploy-tests] " + Tools.version(Repo.root(), List.of(promtool.toString(), "--version")));
        List<Path> rules = Observability.ruleFiles();
        assertFalse(rules.isEmpty(), "no observability/*.rules.yml");
        List<String> command = new ArrayList<>(List.of(promtool.toString(), "check", "rules"));
        rules.forEach(r -> command.add(Repo.root().relativize(r).toString()));
        Tools.Result r = Tools.run(Repo.root(), 60, command);
        System.out.println(r.output().strip());
        assertTrue(r.ok(), "promtool check rules:\n" + r.output());
    }

    @Test
    void theAlertRulesPassTheirUnitTests() throws IOException {
        Path promtool = Tools.require("promtool", "it runs the alert rules' unit tests (Debian package prometheus)");
        List<String> command = new ArrayList<>(List.of(promtool.toString(), "test", "rules"));
        try (var files = Files.list(Repo.file("observability"))) {
            files.filter(f -> f.getFileName().toString().endsWith(".test.yml")).sorted()
                    .forEach(f -> command.add(f.getFileName().toString()));
        }
        assertTrue(command.size() > 3, "no observability/*.test.yml");
        Tools.Result r = Tools.run(Repo.file("observability"), 60, command);
        System.out.println(r.output().strip());
        assertTrue(r.ok(), "promtool test rules:\n" + r.output());
    }

    @Test
    void everyDashboardQueryParses(@TempDir Path dir) throws IOException {
        Path promtool = Tools.require("promtool", "it parses the dashboard's queries (Debian package prometheus)");
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard-queries\n    rules:\n");
        int i = 0;
        for (Map.Entry<String, String> q : Observability.dashboardQueries().entrySet()) {
            String expr = PromQl.withoutGrafanaVariables(q.getValue());
            rules.append("      - record: dashboard:query_").append(i++).append("\n        expr: '")
                    .append(expr.replace("'", "''")).append("'\n");
        }
        Path file = dir.resolve("dashboard.rules.yml");
        Files.writeString(file, rules);
        Tools.Result r = Tools.run(dir, 60, List.of(promtool.toString(), "check", "rules", file.toString()));
        assertTrue(r.ok(), "promtool cannot parse a dashboard query:\n" + r.output() + "\n" + rules);
        System.out.println("[deploy-tests] promtool parsed " + i + " dashboard queries");
    }

    @Test
    void theDashboardIsWellFormed() {
        JsonNode dashboard = Observability.dashboard();
        assertFalse(dashboard.path("uid").asText().isBlank(), "uid");
        assertFalse(dashboard.path("title").asText().isBlank(), "title");
        Set<String> variables = new HashSet<>();
        for (JsonNode v : dashboard.path("templating").path("list")) variables.add(v.path("name").asText());
        assertTrue(variables.contains("datasource"), "a datasource variable, so the dashboard imports into any Grafana");
        Set<Integer> ids = new HashSet<>();
        int queries = 0;
        for (JsonNode p : Observability.panels(dashboard)) {
            assertTrue(ids.add(p.path("id").asInt()), "duplicate panel id " + p.path("id"));
            assertTrue(p.has("gridPos"), "panel " + p.path("title") + " has no position");
            if ("row".equals(p.path("type").asText())) continue;
            assertTrue(p.path("targets").size() > 0, "panel " + p.path("title") + " has no query");
            assertEquals("${datasource}", p.path("datasource").path("uid").asText(), "panel " + p.path("title") + " data source");
            for (JsonNode t : p.path("targets")) {
                assertFalse(t.path("expr").asText().isBlank(), "panel " + p.path("title") + " has an empty query");
                queries++;
            }
        }
        assertTrue(queries >= 20, "queries: " + queries);
        // what the dashboard is for
        Set<String> named = Observability.metricsNamed().keySet();
        for (String needed : List.of("dln_llm_calls_seconds_bucket", "dln_llm_calls_seconds_count", "dln_worker_results_total",
                "dln_scorer_cache_total", "kafka_consumer_fetch_manager_records_lag_max", "dln_trainer_run_dev_accuracy",
                "dln_trainer_run_iteration", "dln_worker_dead_lettered_total", "dln_trainer_steps_total")) {
            assertTrue(named.contains(needed), "the dashboard or the rules do not show " + needed);
        }
    }

    @Test
    void theAlertRulesCoverStuckRunsDeadLettersBackendErrorsAndLag() {
        Map<String, String> rules = Observability.ruleQueries();
        String all = String.join("\n", rules.values());
        assertTrue(all.contains("dln_trainer_steps_total"), "a stuck-run alert on dln_trainer_steps_total");
        assertTrue(all.contains("dln_worker_dead_lettered_total"), "a dead-letter alert");
        assertTrue(all.contains("outcome=\"error\"") && all.contains("dln_llm_calls_seconds_count"), "a backend error-rate alert");
        assertTrue(all.contains("kafka_consumer_fetch_manager_records_lag_max{client_id=~\"kafka-consumer-dln\\\\.score\\\\.requests.*\"}"),
                "a scorer lag alert on the consumers of dln.score.requests");
        for (Path file : Observability.ruleFiles()) {
            for (Map<String, Object> group : Y.maps(Y.load(Repo.read(file)), "groups")) {
                for (Map<String, Object> rule : Y.maps(group, "rules")) {
                    if (!rule.containsKey("alert")) continue;
                    assertTrue(Y.at(rule, "labels.severity") != null, rule.get("alert") + " has no severity");
                    assertTrue(Y.at(rule, "annotations.summary") != null, rule.get("alert") + " has no summary");
                }
            }
        }
    }

    @Test
    void everyMetricNamedIsDeclaredInTheCodeOrExportedByAFramework() {
        Map<String, String> declared = Meters.declared();
        assertTrue(declared.containsKey("dln_llm_calls_seconds_bucket"), "the meter scan finds the LLM call timer: " + declared.keySet());
        List<String> unknown = new ArrayList<>();
        Observability.metricsNamed().forEach((metric, where) -> {
            if (declared.containsKey(metric)) return;
            if (FRAMEWORK_PREFIXES.stream().anyMatch(metric::startsWith)) return;
            unknown.add(metric + " (in " + where + ")");
        });
        assertTrue(unknown.isEmpty(), "metrics no code declares:\n  " + String.join("\n  ", unknown));
    }

    @Test
    void theMetricNameLexerFindsNamesAndNothingElse() {
        assertEquals(Set.of("a_total", "b_seconds_count"), PromQl.metricNames(
                "sum by (backend, le) (rate(a_total{x=\"y\", z=~\"1|2\"}[$__rate_interval])) / on (job) group_left (pod) "
                        + "sum without (instance) (increase(b_seconds_count[5m] offset 1h)) > bool 0.5e3"));
        assertEquals(Set.of("up"), PromQl.metricNames("absent(up{job=\"$job\"}) and histogram_quantile(0.9, up)"));
    }
}
