package io.dln.deploy;

import io.dln.testkit.Repository;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Files of the checkout the checks read: the project version, the topic list, the service modules. */
final class Repo {

    /** Modules that run as services, each an image dln/&lt;module&gt;:&lt;version&gt;. */
    static final List<String> SERVICES = List.of("trainer-service", "sampler-service", "scorer-service", "gateway");
    static final String SIMULATOR = "llm-simulator";
    static final Set<String> IMAGE_MODULES = Set.of("trainer-service", "sampler-service", "scorer-service", "gateway", SIMULATOR);

    /** Partitions of a topic marked "default" in kafka/topics.txt when KAFKA_PARTITIONS is not set (as deployed). */
    static final int DEFAULT_PARTITIONS = 6;

    private static final Pattern PARENT = Pattern.compile("<parent>.*?</parent>", Pattern.DOTALL);
    private static final Pattern VERSION = Pattern.compile("<version>([^<]+)</version>");

    private Repo() {
    }

    static Path root() {
        return Repository.root();
    }

    static Path file(String relative) {
        return root().resolve(relative);
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The version of the root pom: the tag of every image. */
    static String projectVersion() {
        String pom = PARENT.matcher(read(file("pom.xml"))).replaceFirst("");
        Matcher m = VERSION.matcher(pom);
        if (!m.find()) throw new IllegalStateException("no <version> in the root pom.xml");
        return m.group(1).strip();
    }

    /** kafka/topics.txt as topic name to partition count, in file order ("default" = {@link #DEFAULT_PARTITIONS}). */
    static Map<String, Integer> topics() {
        Map<String, Integer> topics = new LinkedHashMap<>();
        for (String raw : read(file("kafka/topics.txt")).split("\n")) {
            int hash = raw.indexOf('#');
            String line = (hash >= 0 ? raw.substring(0, hash) : raw).strip();
            if (line.isEmpty()) continue;
            String[] parts = line.split("\\s+");
            if (parts.length < 2) throw new IllegalStateException("kafka/topics.txt: no partition count in '" + raw + "'");
            int partitions = parts[1].equals("default") ? DEFAULT_PARTITIONS : Integer.parseInt(parts[1]);
            topics.put(parts[0], partitions);
        }
        return topics;
    }
}
