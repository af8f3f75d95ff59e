package io.dln.core.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.dln.core.lm.OutputClasses;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The tasks known by name, read from YAML. The built-in catalogue is the resource
 * {@value #RESOURCE}; its layout:
 * <pre>
 * tasks:
 *   mpqa:
 *     format: ordered_prompt          # bbh | ordered_prompt | leopard | json_lines
 *     path: ordered_prompt/mpqa       # relative to the data sets directory
 *     instruction: ...
 *     labels: {"0": negative, "1": positive}   # optional: raw label to target word
 *     classes: ["a|A|(A)", ...]       # optional: derived from labels when absent
 *     loss: exact_match               # optional, exact_match by default
 * </pre>
 */
public final class TaskCatalog {

    public static final String RESOURCE = "/dln/tasks.yaml";

    private static final List<String> KEYS = List.of("format", "path", "instruction", "labels", "classes", "loss");

    private static volatile TaskCatalog builtIn;

    private final Map<String, TaskSpec> tasks;

    public TaskCatalog(Collection<TaskSpec> tasks) {
        Map<String, TaskSpec> byName = new LinkedHashMap<>();
        for (TaskSpec task : tasks) {
            if (byName.put(task.name(), task) != null) throw new IllegalArgumentException("task " + task.name() + " is listed twice");
        }
        this.tasks = byName;
    }

    public static TaskCatalog builtIn() {
        TaskCatalog catalog = builtIn;
        if (catalog == null) {
            try (InputStream in = TaskCatalog.class.getResourceAsStream(RESOURCE)) {
                if (in == null) throw new IllegalStateException("resource " + RESOURCE + " is missing");
                catalog = read(in, RESOURCE);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            builtIn = catalog;
        }
        return catalog;
    }

    public static TaskCatalog read(Path yaml) {
        try (InputStream in = Files.newInputStream(yaml)) {
            return read(in, yaml.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + yaml + ": " + e, e);
        }
    }

    public static TaskCatalog read(InputStream yaml, String source) {
        JsonNode root;
        try {
            root = new YAMLMapper().readTree(yaml);
        } catch (IOException e) {
            throw new IllegalArgumentException(source + ": malformed YAML: " + e.getMessage(), e);
        }
        JsonNode entries = root == null ? null : root.get("tasks");
        if (entries == null || !entries.isObject()) throw new IllegalArgumentException(source + ": expected a 'tasks' mapping");
        List<TaskSpec> specs = new ArrayList<>();
        for (Map.Entry<String, JsonNode> entry : entries.properties()) {
            try {
                specs.add(spec(entry.getKey(), entry.getValue()));
            } catch (IllegalArgumentException e) {
                String prefix = "task " + entry.getKey() + ": ";
                String message = e.getMessage().startsWith(prefix) ? e.getMessage() : prefix + e.getMessage();
                throw new IllegalArgumentException(source + ": " + message, e);
            }
        }
        return new TaskCatalog(specs);
    }

    private static TaskSpec spec(String name, JsonNode node) {
        if (!node.isObject()) throw new IllegalArgumentException("expected a mapping");
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            if (!KEYS.contains(entry.getKey())) {
                throw new IllegalArgumentException("unknown key '" + entry.getKey() + "'; known keys: " + KEYS);
            }
        }
        String formatName = required(node, "format");
        TaskFormat format;
        try {
            format = TaskFormat.valueOf(formatName.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown format '" + formatName + "'; known formats: bbh, ordered_prompt, leopard, json_lines");
        }
        Map<String, String> labels = new LinkedHashMap<>();
        JsonNode labelNode = node.get("labels");
        if (labelNode != null) {
            if (!labelNode.isObject()) throw new IllegalArgumentException("'labels' must map raw labels to words");
            for (Map.Entry<String, JsonNode> e : labelNode.properties()) labels.put(e.getKey(), string(e.getValue(), "label word"));
        }
        OutputClasses classes = null;
        JsonNode classNode = node.get("classes");
        if (classNode != null) {
            if (!classNode.isArray()) throw new IllegalArgumentException("'classes' must be a list");
            List<String> protos = new ArrayList<>();
            classNode.forEach(c -> protos.add(string(c, "class")));
            classes = new OutputClasses(protos);
        }
        return new TaskSpec(name, format, required(node, "path"), text(node, "instruction"), classes, labels, text(node, "loss"));
    }

    // YAML 1.1 reads unquoted yes/no/on/off as booleans; a label word "true" would be a silent mistake.
    private static String string(JsonNode value, String what) {
        if (!value.isTextual()) {
            throw new IllegalArgumentException(what + " " + value + " must be a string (quote yes, no, on, off and numbers)");
        }
        return value.asText();
    }

    private static String required(JsonNode node, String key) {
        String value = text(node, key);
        if (value == null || value.isBlank()) throw new IllegalArgumentException("'" + key + "' is required");
        return value;
    }

    private static String text(JsonNode node, String key) {
        JsonNode value = node.get(key);
        return value == null || value.isNull() ? null : value.asText();
    }

    public Optional<TaskSpec> find(String name) {
        return Optional.ofNullable(tasks.get(name));
    }

    public TaskSpec get(String name) {
        TaskSpec task = tasks.get(name);
        if (task == null) throw new IllegalArgumentException("unknown task '" + name + "'; known tasks: " + String.join(", ", names()));
        return task;
    }

    public List<String> names() {
        return List.copyOf(tasks.keySet());
    }

    public List<TaskSpec> tasks() {
        return List.copyOf(tasks.values());
    }
}
