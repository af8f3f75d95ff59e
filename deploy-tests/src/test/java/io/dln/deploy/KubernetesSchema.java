package io.dln.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The JSON schema of the Kubernetes API of a pinned version, as the fabric8 model jars on the test class path ship it
 * ({@code schema/validation-schema.json}, one per API group jar; see this module's POM), made strict as the API server
 * is with {@code kubectl apply --validate=strict}: an object accepts only the fields its type declares. Int-or-string
 * fields (ports, maxUnavailable) and quantities ("500m", 1) take either form, as on the wire.
 */
final class KubernetesSchema {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String OBJECT_META = "kubernetes_apimachinery_pkg_apis_ObjectMeta";

    private static volatile KubernetesSchema loaded;

    private final ObjectNode definitions;
    /** "apiVersion kind" to the name of its definition. */
    private final Map<String, String> kinds;
    private final Map<String, JsonSchema> compiled = new ConcurrentHashMap<>();
    private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7);

    private KubernetesSchema(ObjectNode definitions, Map<String, String> kinds) {
        this.definitions = definitions;
        this.kinds = kinds;
    }

    static KubernetesSchema load() {
        if (loaded == null) {
            synchronized (KubernetesSchema.class) {
                if (loaded == null) loaded = read();
            }
        }
        return loaded;
    }

    private static KubernetesSchema read() {
        ObjectNode definitions = JSON.createObjectNode();
        try {
            for (URL url : Collections.list(KubernetesSchema.class.getClassLoader().getResources("schema/validation-schema.json"))) {
                try (InputStream in = url.openStream()) {
                    JsonNode schema = JSON.readTree(in);
                    schema.path("definitions").properties().forEach(e -> definitions.putIfAbsent(e.getKey(), e.getValue().deepCopy()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (definitions.isEmpty()) throw new IllegalStateException("no schema/validation-schema.json on the class path");
        Map<String, String> kinds = new HashMap<>();
        definitions.properties().forEach(e -> {
            JsonNode props = e.getValue().path("properties");
            String apiVersion = props.path("apiVersion").path("default").asText("");
            String kind = props.path("kind").path("default").asText("");
            if (!apiVersion.isEmpty() && !kind.isEmpty()) kinds.putIfAbsent(apiVersion + " " + kind, e.getKey());
        });
        definitions.properties().forEach(e -> strict(e.getValue()));
        // fabric8 models these as Java objects; on the wire they are plain values
        List<String> names = new ArrayList<>();
        definitions.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            if (name.endsWith("_IntOrString")) {
                definitions.set(name, JSON.createObjectNode().set("type", JSON.createArrayNode().add("integer").add("string")));
            } else if (name.endsWith("_Quantity")) {
                definitions.set(name, JSON.createObjectNode().set("type", JSON.createArrayNode().add("string").add("number")));
            }
        }
        if (!definitions.has(OBJECT_META)) throw new IllegalStateException("no " + OBJECT_META + " in the Kubernetes schema");
        return new KubernetesSchema(definitions, kinds);
    }

    /**
     * Objects with declared fields refuse others; fabric8's Java generator hints and the draft-3 style
     * {@code required: true} of apiVersion and kind go (the API server defaults neither, but kubectl fills them in).
     */
    private static void strict(JsonNode node) {
        if (node instanceof ObjectNode o) {
            for (Iterator<String> names = o.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (name.startsWith("java") || name.equals("existingJavaType") || (name.equals("required") && o.get(name).isBoolean())) {
                    names.remove();
                }
            }
            if (o.has("properties") && o.path("additionalProperties").isBoolean()) o.put("additionalProperties", false);
            o.properties().forEach(e -> strict(e.getValue()));
        } else if (node.isArray()) {
            node.forEach(KubernetesSchema::strict);
        }
    }

    /** The definition of {@code apiVersion}/{@code kind} in the pinned API, if it has one. */
    Optional<String> definitionOf(String apiVersion, String kind) {
        return Optional.ofNullable(kinds.get(apiVersion + " " + kind));
    }

    /** What is wrong with {@code document} as an instance of {@code definition}, as "path: message" lines; empty if nothing. */
    Set<String> problems(String definition, Object document) {
        JsonSchema schema = compiled.computeIfAbsent(definition, d -> {
            ObjectNode root = JSON.createObjectNode();
            root.put("$schema", "http://json-schema.org/draft-07/schema#");
            root.put("$ref", "#/definitions/" + d);
            root.set("definitions", definitions);
            return factory.getSchema(root);
        });
        Set<String> out = new TreeSet<>();
        for (ValidationMessage m : schema.validate(JSON.valueToTree(document))) out.add(m.getMessage());
        return out;
    }

    /** How many kinds of the pinned API the schema knows (a sanity check that all group jars are there). */
    List<String> kinds() {
        return new ArrayList<>(new TreeSet<>(kinds.keySet()));
    }
}
