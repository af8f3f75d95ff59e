package io.dln.pipeline;

import com.fasterxml.jackson.core.type.TypeReference;
import io.dln.messages.MessageCodec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The pipeline benchmark's figures, kept in {@code target/benchmark/pipeline.json} (each benchmark method adds its
 * own, so one method can be re-run alone), and the README's table of them, rewritten between its markers from that
 * file alone, so the table never says what the file does not.
 */
final class BenchmarkReport {

    static final Path JSON = Path.of("target", "benchmark", "pipeline.json");
    static final Path README = Path.of("..", "README.md");
    static final String BEGIN = "<!-- pipeline-benchmark:begin (written by PipelineBenchmarkTest from target/benchmark/pipeline.json) -->";
    static final String END = "<!-- pipeline-benchmark:end -->";

    /** A README row: what was measured, the figure's key, its unit, the target, and the decimals a fraction is shown with. */
    private record Row(String what, String key, String unit, String target, int decimals) {
        Row(String what, String key, String unit, String target) {
            this(what, key, unit, target, 2);
        }
    }

    private static final List<Row> ROWS = List.of(
            new Row("DLN-2 step (batch 10, 10 h, 10 p) in-process / bound, L = 50 ms, C = 256", "inprocess_over_bound_l50_c256", "×", ""),
            new Row("the same, distributed", "distributed_over_bound_l50_c256", "×", "≤ 1.2", 3),
            new Row("in-process / bound, L = 50 ms, C = 64", "inprocess_over_bound_l50_c64", "×", ""),
            new Row("distributed / bound, L = 50 ms, C = 64", "distributed_over_bound_l50_c64", "×", ""),
            new Row("in-process / bound, L = 200 ms, C = 64", "inprocess_over_bound_l200_c64", "×", ""),
            new Row("distributed / bound, L = 200 ms, C = 64", "distributed_over_bound_l200_c64", "×", "≤ 1.2", 3),
            new Row("the schedule floor at L = 200 ms, C = 64 over the bound: what no order of the step's calls can beat "
                    + "(dependent phases, then a full server)", "schedule_floor_over_bound_l200_c64", "×", "", 3),
            new Row("distributed / phase-round estimate (each phase alone, ⌈sequences / C⌉ rounds of L), L = 50 ms, C = 256",
                    "distributed_over_phase_rounds_l50_c256", "×", ""),
            new Row("the same, L = 50 ms, C = 64", "distributed_over_phase_rounds_l50_c64", "×", ""),
            new Row("the same, L = 200 ms, C = 64", "distributed_over_phase_rounds_l200_c64", "×", ""),
            new Row("the same, in process, L = 200 ms, C = 64 (below 1: phases overlap, so it is no bound)", "inprocess_over_phase_rounds_l200_c64",
                    "×", ""),
            new Row("CPU per call, all processes, in-process (L = 50 ms, C = 256)", "cpu_ms_per_call_inprocess", "ms", ""),
            new Row("CPU per call, all processes, distributed (L = 50 ms, C = 256)", "cpu_ms_per_call_distributed", "ms", "≤ 0.5"),
            new Row("of which the services' and simulator's JIT compiler threads", "jit_cpu_ms_per_call_distributed_l50_c256", "ms", ""),
            new Row("of which the broker", "cpu_ms_per_call_distributed_l50_c256_broker", "ms", ""),
            new Row("of which the simulator (JIT included)", "cpu_ms_per_call_distributed_l50_c256_simulator", "ms", ""),
            new Row("Kafka round trip overhead per call, median", "kafka_overhead_median_ms", "ms", "≤ 2"),
            new Row("Kafka round trip overhead per call, p99", "kafka_overhead_p99_ms", "ms", ""),
            new Row("scoring-bound run (DLN-2, batch 20, 10 h, 20 p, L = 200 ms, 8 sequences a scorer): 2 scorers over 1",
                    "scorer_speedup_1_to_2", "×", "≥ 1.8"),
            new Row("scoring-bound run: the speed-up its bound allows (calls spread evenly over the scorers)", "scorer_ideal_speedup_1_to_2",
                    "×", ""),
            new Row("the same, with the calls spread over the partitions as they are", "scorer_assigned_speedup_1_to_2", "×", ""),
            new Row("scoring-bound run, 1 scorer: largest lag of the scorers' group (records)", "scorer_lag_max_records", "", ""),
            new Row("scorer replicas KEDA would ask for at that lag", "keda_desired_scorers", "", "≥ 2"),
            new Row("large DLN-2 step (batch 20, 20 h, 20 p), L = 200 ms, C = 256: distributed / bound", "large_step_over_bound", "×", ""),
            new Row("large step: distributed / phase-round estimate", "large_step_over_phase_rounds", "×", ""),
            new Row("large step: bound", "large_step_bound_ms", "ms", ""),
            new Row("large step: distinct calls (after dedupe)", "large_step_calls", "", ""),
            new Row("large step: scoring prompts before dedupe", "large_step_scoring_prompts_before_dedupe", "", "≥ 8,000"),
            new Row("large step: trainer heap in use, most seen", "trainer_heap_mb", "MB", "< 256"),
            new Row("large step: any service's heap in use, most seen", "service_heap_max_mb", "MB", "< 256"),
            new Row("large step: storing a step with its checkpoint", "large_step_checkpoint_ms", "ms", ""));

    private BenchmarkReport() {
    }

    /**
     * Adds {@code figures} (with the machine's load now) to the JSON file and rewrites the README's table from it. With
     * {@code -Dbenchmark.label=NAME} (a variant tried with other settings) the keys are prefixed {@code NAME_}, so the
     * variant's figures sit beside the default ones and stay out of the table.
     */
    static synchronized void record(Map<String, Object> measured) {
        String label = System.getProperty("benchmark.label", "");
        Map<String, Object> figures = new java.util.LinkedHashMap<>();
        measured.forEach((key, value) -> figures.put(label.isEmpty() ? key : label + "_" + key, value));
        Map<String, Object> all = read();
        all.putAll(figures);
        all.put("load_average_1m_" + figures.keySet().iterator().next(), loadAverage());
        all.put("written_at", Instant.now().toString());
        try {
            Files.createDirectories(JSON.getParent());
            Files.write(JSON, MessageCodec.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(all));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        rewriteReadme(all);
    }

    static Map<String, Object> read() {
        if (!Files.exists(JSON)) return new TreeMap<>();
        try {
            return new TreeMap<>(MessageCodec.mapper().readValue(JSON.toFile(), new TypeReference<Map<String, Object>>() { }));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void rewriteReadme(Map<String, Object> figures) {
        if (!Files.exists(README)) return;
        try {
            String readme = Files.readString(README);
            int begin = readme.indexOf(BEGIN);
            int end = readme.indexOf(END);
            if (begin < 0 || end < begin) return;
            Files.writeString(README, readme.substring(0, begin + BEGIN.length()) + "\n" + table(figures) + readme.substring(end));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String table(Map<String, Object> figures) {
        StringBuilder table = new StringBuilder("| measured (`pipeline.json` key) | figure | target |\n|---|---|---|\n");
        for (Row row : ROWS) {
            Object value = figures.get(row.key());
            String shown = value instanceof Number n ? format(n, row.decimals()) + (row.unit().isEmpty() ? "" : " " + row.unit())
                    : "not measured";
            table.append("| ").append(row.what()).append(" (`").append(row.key()).append("`) | ").append(shown).append(" | ")
                    .append(row.target()).append(" |\n");
        }
        table.append("\nMachine load average (1 min) when each group was measured: ");
        figures.entrySet().stream().filter(e -> e.getKey().startsWith("load_average_1m_"))
                .forEach(e -> table.append(e.getValue()).append(" (").append(e.getKey().substring("load_average_1m_".length()))
                        .append(" …); "));
        table.append("written ").append(figures.get("written_at")).append(".\n");
        return table.toString();
    }

    private static String format(Number n, int decimals) {
        double v = n.doubleValue();
        if (n instanceof Integer || n instanceof Long || (v == Math.rint(v) && Math.abs(v) >= 10)) {
            return String.format(Locale.ROOT, "%,d", (long) v);
        }
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
