package io.dln.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/** The files under observability/: the Grafana dashboard and the Prometheus rule files, and the queries in them. */
final class Observability {

    static final Path DASHBOARD = Path.of("observability/dln-grafana-dashboard.json");

    private Observability() {
    }

    static JsonNode dashboard() {
        try {
            return new ObjectMapper().readTree(Repo.file(DASHBOARD.toString()).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + DASHBOARD, e);
        }
    }

    /** Every panel of the dashboard, those inside collapsed rows included. */
    static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode p : dashboard.path("panels")) {
            out.add(p);
            for (JsonNode nested : p.path("panels")) out.add(nested);
        }
        return out;
    }

    /** Query of each dashboard target, by "panel title / refId", and of the query variables. */
    static Map<String, String> dashboardQueries() {
        JsonNode dashboard = dashboard();
        Map<String, String> queries = new LinkedHashMap<>();
        for (JsonNode p : panels(dashboard)) {
            for (JsonNode t : p.path("targets")) {
                if (t.hasNonNull("expr")) queries.put(p.path("title").asText() + " / " + t.path("refId").asText(), t.get("expr").asText());
            }
        }
        for (JsonNode v : dashboard.path("templating").path("list")) {
            if (!"query".equals(v.path("type").asText())) continue;
            String q = v.path("query").isTextual() ? v.path("query").asText() : v.path("query").path("query").asText();
            // label_values(metric, label): the metric is what matters
            String inner = q.replaceFirst("^label_values\\((.*),\\s*\\w+\\)$", "$1");
            queries.put("variable " + v.path("name").asText(), inner);
        }
        return queries;
    }

    /** The rule files: observability/*.rules.yml. */
    static List<Path> ruleFiles() {
        try (Stream<Path> files = Files.list(Repo.file("observability"))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".rules.yml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list observability/", e);
        }
    }

    /** Expression of each rule, by "file / group / alert or record name". */
    static Map<String, String> ruleQueries() {
        Map<String, String> queries = new LinkedHashMap<>();
        for (Path file : ruleFiles()) {
            Map<String, Object> doc = Y.load(Repo.read(file));
            for (Map<String, Object> group : Y.maps(doc, "groups")) {
                for (Map<String, Object> rule : Y.maps(group, "rules")) {
                    String name = rule.containsKey("alert") ? String.valueOf(rule.get("alert")) : String.valueOf(rule.get("record"));
                    queries.put(file.getFileName() + " / " + group.get("name") + " / " + name, String.valueOf(rule.get("expr")));
                }
            }
        }
        return queries;
    }

    /** Metric name to the queries naming it, over the dashboard and the rules. */
    static Map<String, Set<String>> metricsNamed() {
        Map<String, Set<String>> names = new TreeMap<>();
        Map<String, String> all = new LinkedHashMap<>(dashboardQueries());
        all.putAll(ruleQueries());
        all.forEach((where, expr) -> {
            for (String metric : PromQl.metricNames(expr)) names.computeIfAbsent(metric, k -> new TreeSet<>()).add(where);
        });
        return names;
    }
}
