package io.dln.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The manifests of a Kustomize overlay as {@code kubectl kustomize k8s/overlays/<name>} renders them (kubectl
 * embeds Kustomize), parsed into documents, with the look-ups the checks need.
 */
final class Manifests {

    private static final Map<String, Manifests> RENDERED = new ConcurrentHashMap<>();

    final String overlay;
    final List<Map<String, Object>> docs;

    private Manifests(String overlay, List<Map<String, Object>> docs) {
        this.overlay = overlay;
        this.docs = docs;
    }

    /** Renders the overlay once per test run; skips (or fails, see {@link Tools}) without kubectl. */
    static Manifests render(String overlay) {
        Path kubectl = Tools.require("kubectl", "it renders the Kustomize overlays (kubectl kustomize)");
        return RENDERED.computeIfAbsent(overlay, o -> {
            Tools.Result r = Tools.run(Repo.root(), 120, List.of(kubectl.toString(), "kustomize", "k8s/overlays/" + o));
            if (!r.ok()) fail("kubectl kustomize k8s/overlays/" + o + " failed:\n" + r.output());
            List<Map<String, Object>> docs = Y.loadAll(r.output());
            assertTrue(!docs.isEmpty(), "overlay " + o + " rendered nothing");
            return new Manifests(o, docs);
        });
    }

    List<Map<String, Object>> kind(String kind) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> d : docs) if (kind.equals(d.get("kind"))) out.add(d);
        return out;
    }

    Optional<Map<String, Object>> find(String kind, String name) {
        return kind(kind).stream().filter(d -> name.equals(Y.str(d, "metadata.name"))).findFirst();
    }

    Map<String, Object> get(String kind, String name) {
        return find(kind, name).orElseThrow(() -> new AssertionError(overlay + ": no " + kind + " named " + name));
    }

    /** Deployments and StatefulSets. */
    List<Map<String, Object>> workloads() {
        List<Map<String, Object>> out = new ArrayList<>(kind("Deployment"));
        out.addAll(kind("StatefulSet"));
        return out;
    }

    static String name(Map<String, Object> doc) {
        return Y.str(doc, "metadata.name");
    }

    static Map<String, Object> podSpec(Map<String, Object> workload) {
        return Y.mapAt(workload, "spec.template.spec");
    }

    static Map<String, Object> podLabels(Map<String, Object> workload) {
        return Y.mapAt(workload, "spec.template.metadata.labels");
    }

    static List<Map<String, Object>> containers(Map<String, Object> workload) {
        return Y.maps(podSpec(workload), "containers");
    }

    /**
     * The environment a container gets, by variable: a plain value, or where it comes from
     * ({@code configMap:<name>/<key>}, {@code secret:<name>/<key>}). envFrom ConfigMaps are looked up in the
     * rendered output (they must be there); an envFrom Secret is only allowed when rendered too.
     */
    Map<String, EnvSource> env(Map<String, Object> container) {
        Map<String, EnvSource> env = new LinkedHashMap<>();
        for (Map<String, Object> from : Y.maps(container, "envFrom")) {
            String prefix = Objects.requireNonNullElse(Y.str(from, "prefix"), "");
            if (from.containsKey("configMapRef")) {
                String cm = Y.str(from, "configMapRef.name");
                Map<String, Object> data = Y.mapAt(get("ConfigMap", cm), "data");
                data.forEach((k, v) -> env.put(prefix + k, new EnvSource(String.valueOf(v), "configMap", cm, k)));
            } else if (from.containsKey("secretRef")) {
                String secret = Y.str(from, "secretRef.name");
                Map<String, Object> s = find("Secret", secret).orElseThrow(() -> new AssertionError(overlay
                        + ": envFrom names Secret " + secret + ", which is not rendered, so its keys cannot be checked;"
                        + " use env[].valueFrom.secretKeyRef instead"));
                Y.mapAt(s, "data").keySet().forEach(k -> env.put(prefix + k, new EnvSource(null, "secret", secret, k)));
                Y.mapAt(s, "stringData").keySet().forEach(k -> env.put(prefix + k, new EnvSource(null, "secret", secret, k)));
            }
        }
        for (Map<String, Object> e : Y.maps(container, "env")) {
            String name = Y.str(e, "name");
            if (e.containsKey("value")) {
                env.put(name, new EnvSource(Y.str(e, "value"), "value", null, null));
            } else if (Y.at(e, "valueFrom.secretKeyRef") != null) {
                env.put(name, new EnvSource(null, "secret", Y.str(e, "valueFrom.secretKeyRef.name"),
                        Y.str(e, "valueFrom.secretKeyRef.key")));
            } else if (Y.at(e, "valueFrom.configMapKeyRef") != null) {
                String cm = Y.str(e, "valueFrom.configMapKeyRef.name");
                String key = Y.str(e, "valueFrom.configMapKeyRef.key");
                Object v = Y.mapAt(get("ConfigMap", cm), "data").get(key);
                if (v == null) fail(overlay + ": env " + name + " names key " + key + " missing from ConfigMap " + cm);
                env.put(name, new EnvSource(String.valueOf(v), "configMap", cm, key));
            } else {
                env.put(name, new EnvSource(null, "fieldRef", null, null));
            }
        }
        return env;
    }

    /** Plain values only (ConfigMaps and literals), for port and address checks. */
    static Map<String, String> values(Map<String, EnvSource> env) {
        Map<String, String> out = new LinkedHashMap<>();
        env.forEach((k, v) -> {
            if (v.value() != null) out.put(k, v.value());
        });
        return out;
    }

    record EnvSource(String value, String kind, String object, String key) {
        boolean secret() {
            return "secret".equals(kind);
        }
    }
}
