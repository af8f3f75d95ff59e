package io.dln.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Micrometer meters the project's code declares (every module's src/main/java), with the names the Prometheus
 * registry gives them: dots become underscores; a counter gets {@code _total}; a timer {@code _seconds_count},
 * {@code _seconds_sum}, {@code _seconds_max} (and {@code _seconds_bucket} with a percentile histogram); a
 * distribution summary {@code _count}, {@code _sum}, {@code _max} (and {@code _bucket}); a gauge keeps its name.
 */
final class Meters {

    private static final Pattern BUILDER = Pattern.compile(
            "\\b(Counter|Timer|Gauge|DistributionSummary|FunctionCounter|TimeGauge)\\.builder\\(\\s*(?:\"([^\"]+)\"|(\\w+))");
    private static final Pattern REGISTRY = Pattern.compile(
            "\\b\\w*[rR]egistry\\s*\\.\\s*(counter|timer|gauge|summary|gaugeCollectionSize|gaugeMapSize)\\(\\s*(?:\"([^\"]+)\"|(\\w+))");
    private static final Pattern CONSTANT = Pattern.compile("static\\s+final\\s+String\\s+(\\w+)\\s*=\\s*\"([^\"]+)\"");

    private Meters() {
    }

    /** Prometheus sample name to the source file that declares it. */
    static Map<String, String> declared() {
        Map<String, String> names = new TreeMap<>();
        try (Stream<Path> modules = Files.list(Repo.root())) {
            for (Path module : (Iterable<Path>) modules::iterator) {
                Path src = module.resolve("src/main/java");
                if (!Files.isDirectory(src)) continue;
                try (Stream<Path> files = Files.walk(src)) {
                    for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                        scan(ConfigMappings.stripComments(Files.readString(f)), Repo.root().relativize(f).toString(), names);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot scan the sources for meters", e);
        }
        return names;
    }

    private static void scan(String text, String file, Map<String, String> names) {
        Map<String, String> constants = new HashMap<>();
        Matcher c = CONSTANT.matcher(text);
        while (c.find()) constants.put(c.group(1), c.group(2));
        for (Pattern p : List.of(BUILDER, REGISTRY)) {
            Matcher m = p.matcher(text);
            while (m.find()) {
                String name = m.group(2) != null ? m.group(2) : constants.get(m.group(3));
                if (name == null) continue;
                int end = text.indexOf(';', m.end());
                String statement = text.substring(m.start(), end < 0 ? text.length() : end);
                boolean histogram = statement.contains("publishPercentileHistogram") || statement.contains("serviceLevelObjectives");
                String base = name.replace('.', '_').replace('-', '_');
                switch (m.group(1).toLowerCase()) {
                    case "counter", "functioncounter" -> names.put(base + "_total", file);
                    case "timer" -> {
                        for (String s : List.of("_seconds_count", "_seconds_sum", "_seconds_max")) names.put(base + s, file);
                        if (histogram) names.put(base + "_seconds_bucket", file);
                    }
                    case "distributionsummary", "summary" -> {
                        for (String s : List.of("_count", "_sum", "_max")) names.put(base + s, file);
                        if (histogram) names.put(base + "_bucket", file);
                    }
                    default -> names.put(base, file); // gauges
                }
            }
        }
    }
}
