package io.dln.core.template;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The templates a network can use: the built-in ones, plus any a user adds from a directory of YAML
 * files (a file's versions join those of a built-in template of the same name; an equal version
 * replaces the built-in one). Look templates up as "name" (newest version) or "name:version".
 */
public final class TemplateLibrary {

    private static final String BUILT_IN_DIR = "dln/templates/";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final Map<String, TreeMap<Integer, Template>> templates = new TreeMap<>();

    private TemplateLibrary() {
    }

    public static TemplateLibrary builtIn() {
        TemplateLibrary library = new TemplateLibrary();
        for (String file : builtInFiles()) {
            try (InputStream in = resource(BUILT_IN_DIR + file)) {
                library.add(in, "built-in template " + file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return library;
    }

    /** The built-in templates plus every *.yaml / *.yml file of {@code directory}. */
    public static TemplateLibrary withDirectory(Path directory) {
        TemplateLibrary library = builtIn();
        if (!Files.isDirectory(directory)) {
            throw new TemplateException("template directory " + directory + " does not exist or is not a directory");
        }
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(TemplateLibrary::isYaml).sorted().toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    library.add(in, file.toString());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read template directory " + directory, e);
        }
        return library;
    }

    public Template get(String reference) {
        int colon = reference.lastIndexOf(':');
        String name = colon < 0 ? reference : reference.substring(0, colon);
        TreeMap<Integer, Template> versions = templates.get(name);
        if (versions == null) {
            throw new TemplateException("no template named '" + name + "'; known templates: " + templates.keySet());
        }
        if (colon < 0 || reference.endsWith(":latest")) return versions.lastEntry().getValue();
        String version = reference.substring(colon + 1).replaceFirst("^v", "");
        try {
            Template template = versions.get(Integer.parseInt(version));
            if (template != null) return template;
        } catch (NumberFormatException ignored) {
            // reported below with the versions that exist
        }
        throw new TemplateException("template '" + name + "' has no version '" + version + "'; versions: " + versions.keySet());
    }

    public List<String> names() {
        return List.copyOf(templates.keySet());
    }

    private void add(InputStream in, String source) throws IOException {
        TemplateFile file;
        try {
            file = YAML.readValue(in, TemplateFile.class);
        } catch (IOException e) {
            throw new TemplateException(source + " is not a valid template file: " + e.getMessage(), e);
        }
        if (file.name() == null || file.name().isBlank()) throw new TemplateException(source + " has no 'name'");
        if (file.versions() == null || file.versions().isEmpty()) throw new TemplateException(source + " has no 'versions'");
        for (TemplateFile.Version v : file.versions()) {
            if (v.template() == null) throw new TemplateException(source + " version " + v.version() + " has no 'template'");
            Template template = new Template(file.name(), v.version(), v.description(), v.template(), v.stop(), v.messages());
            TemplateRenderer.checkSyntax(template);
            templates.computeIfAbsent(file.name(), n -> new TreeMap<>()).put(v.version(), template);
        }
    }

    private static List<String> builtInFiles() {
        try (InputStream in = resource(BUILT_IN_DIR + "index.txt")) {
            List<String> files = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) files.add(line.strip());
            }
            files.sort(Comparator.naturalOrder());
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream resource(String path) {
        InputStream in = TemplateLibrary.class.getClassLoader().getResourceAsStream(path);
        if (in == null) throw new TemplateException("missing built-in resource " + path);
        return in;
    }

    private static boolean isYaml(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".yaml") || name.endsWith(".yml");
    }

    record TemplateFile(String name, String role, List<Version> versions) {
        record Version(int version, String description, String template, List<String> stop, List<String> messages) {
        }
    }
}
