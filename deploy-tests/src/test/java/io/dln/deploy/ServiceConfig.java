package io.dln.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The configuration a service module reads, taken from its sources:
 * <ul>
 *   <li>the keys of its {@code application.properties} (profile prefixes removed) with their values;</li>
 *   <li>the environment variables those values name in expressions such as {@code ${DLN_DB_URL:...}};</li>
 *   <li>the property names of every {@code @ConfigMapping} interface and {@code @ConfigProperty} injection point in
 *       the module and the io.dln modules it depends on (from the poms), with {@code *} for map keys.</li>
 * </ul>
 * An environment variable is read when it is one of those named variables, or when it is the environment form of a
 * property name (upper case, every other character than a letter or digit turned into '_'; a map key is one
 * upper-case word, since a dash or dot in it cannot be told from a separator).
 */
final class ServiceConfig {

    /** Read by the launcher of the ubi9 OpenJDK base image (run-java.sh), not by the application. */
    static final Set<String> LAUNCHER_ENV = Set.of("JAVA_MAX_MEM_RATIO", "JAVA_OPTS_APPEND");

    private static final Map<String, ServiceConfig> CACHE = new ConcurrentHashMap<>();
    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{([^:}]+)");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Z][A-Z0-9_]*");
    private static final Pattern DEPENDENCY = Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL);

    final String module;
    /** application.properties without profile-specific lines: key to raw value. */
    final Map<String, String> properties;
    /** Environment variables named in the values of application.properties. */
    final Set<String> referencedEnv;
    /** Property names the code reads ({@code *} = any map key). */
    final Set<String> mappedProperties;
    private final List<Pattern> envPatterns;

    private ServiceConfig(String module, Map<String, String> properties, Set<String> referencedEnv, Set<String> mappedProperties) {
        this.module = module;
        this.properties = properties;
        this.referencedEnv = referencedEnv;
        this.mappedProperties = mappedProperties;
        List<Pattern> patterns = new ArrayList<>();
        for (String p : properties.keySet()) patterns.add(envPattern(p));
        for (String p : mappedProperties) patterns.add(envPattern(p));
        this.envPatterns = patterns;
    }

    static ServiceConfig of(String module) {
        return CACHE.computeIfAbsent(module, ServiceConfig::load);
    }

    /** Whether the service reads environment variable {@code name} (launcher variables not included). */
    boolean readsEnv(String name) {
        if (referencedEnv.contains(name)) return true;
        for (Pattern p : envPatterns) {
            if (p.matcher(name).matches()) return true;
        }
        return false;
    }

    /** The property (application.properties, profile-free) with expressions of other properties resolved. */
    Optional<String> property(String key) {
        String value = properties.get(key);
        if (value == null) return Optional.empty();
        Matcher m = Pattern.compile("\\$\\{([a-z][^:}]*)}").matcher(value);
        StringBuilder resolved = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(resolved, Matcher.quoteReplacement(property(m.group(1)).orElse(m.group(0))));
        }
        m.appendTail(resolved);
        return Optional.of(resolved.toString());
    }

    /**
     * The port the service listens on given {@code env}: the value of quarkus.http.port, whose expression may name
     * an environment variable with a default ({@code ${HTTP_PORT:8081}}); QUARKUS_HTTP_PORT wins over both.
     */
    int httpPort(Map<String, String> env) {
        if (env.containsKey("QUARKUS_HTTP_PORT")) return Integer.parseInt(env.get("QUARKUS_HTTP_PORT"));
        String value = properties.getOrDefault("quarkus.http.port", "8080").strip();
        Matcher m = Pattern.compile("\\$\\{([A-Z0-9_]+):(\\d+)}").matcher(value);
        if (m.matches()) return Integer.parseInt(env.getOrDefault(m.group(1), m.group(2)));
        return Integer.parseInt(value);
    }

    /** Backend names the service knows from application.properties (dln.backends.&lt;name&gt;.*). */
    Set<String> propertyBackends(String prefix) {
        Set<String> names = new TreeSet<>();
        for (String key : properties.keySet()) {
            if (key.startsWith(prefix)) names.add(key.substring(prefix.length()).split("\\.")[0]);
        }
        return names;
    }

    static Pattern envPattern(String property) {
        StringBuilder regex = new StringBuilder();
        String[] parts = property.split("\\*", -1);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) regex.append("[A-Z0-9]+");
            regex.append(Pattern.quote(toEnv(parts[i])));
        }
        return Pattern.compile(regex.toString());
    }

    /** The environment form of a property name, as MicroProfile Config maps it. */
    static String toEnv(String property) {
        StringBuilder env = new StringBuilder(property.length());
        for (char c : property.toCharArray()) {
            env.append(Character.isLetterOrDigit(c) ? Character.toUpperCase(c) : '_');
        }
        return env.toString();
    }

    private static ServiceConfig load(String module) {
        Path root = Repo.root();
        Path props = root.resolve(module).resolve("src/main/resources/application.properties");
        Map<String, String> properties = new LinkedHashMap<>();
        Set<String> referencedEnv = new TreeSet<>();
        for (Map.Entry<String, String> e : readProperties(props).entrySet()) {
            String key = e.getKey();
            Matcher expr = EXPRESSION.matcher(e.getValue());
            while (expr.find()) {
                String name = expr.group(1).strip();
                if (ENV_NAME.matcher(name).matches()) referencedEnv.add(name);
            }
            if (key.startsWith("%")) continue; // another profile's value; its key is read in prod only when set there
            properties.put(key, e.getValue());
        }
        Set<String> mapped = new TreeSet<>();
        List<Path> sources = new ArrayList<>();
        for (String m : moduleAndDependencies(module)) {
            Path src = root.resolve(m).resolve("src/main/java");
            if (Files.isDirectory(src)) sources.add(src);
        }
        mapped.addAll(ConfigMappings.propertyNames(sources));
        return new ServiceConfig(module, properties, referencedEnv, mapped);
    }

    /** {@code module} and the io.dln modules it depends on (compile and runtime scope), transitively. */
    static Set<String> moduleAndDependencies(String module) {
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(module));
        while (!todo.isEmpty()) {
            String m = todo.pop();
            if (!seen.add(m)) continue;
            Path pom = Repo.root().resolve(m).resolve("pom.xml");
            if (!Files.isRegularFile(pom)) continue;
            Matcher dep = DEPENDENCY.matcher(Repo.read(pom));
            while (dep.find()) {
                String block = dep.group(1);
                if (!block.contains("<groupId>io.dln</groupId>")) continue;
                if (block.contains("<scope>test</scope>") || block.contains("<type>test-jar</type>")) continue;
                Matcher a = Pattern.compile("<artifactId>([^<]+)</artifactId>").matcher(block);
                if (a.find()) todo.add(a.group(1).strip());
            }
        }
        return seen;
    }

    /** A .properties file as written: keys in order, continuation lines joined, no Java escapes beyond that. */
    static Map<String, String> readProperties(Path file) {
        Map<String, String> result = new LinkedHashMap<>();
        List<String> lines;
        try (Stream<String> s = Files.lines(file)) {
            lines = s.toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        StringBuilder logical = new StringBuilder();
        for (String raw : lines) {
            String line = logical.isEmpty() ? raw.stripLeading() : raw.strip();
            if (logical.isEmpty() && (line.isEmpty() || line.startsWith("#") || line.startsWith("!"))) continue;
            if (line.endsWith("\\")) {
                logical.append(line, 0, line.length() - 1);
                continue;
            }
            logical.append(line);
            String entry = logical.toString();
            logical.setLength(0);
            int sep = separator(entry);
            String key = sep < 0 ? entry : entry.substring(0, sep).strip();
            String value = sep < 0 ? "" : entry.substring(sep + 1).strip();
            result.put(key, value);
        }
        return result;
    }

    private static int separator(String entry) {
        boolean quoted = false;
        for (int i = 0; i < entry.length(); i++) {
            char c = entry.charAt(i);
            if (c == '"') quoted = !quoted;
            if (!quoted && (c == '=' || c == ':')) return i;
        }
        return -1;
    }

    @Override
    public String toString() {
        return module + ": " + properties.size() + " properties, env " + referencedEnv + ", " + mappedProperties.size()
                + " mapped names";
    }
}
