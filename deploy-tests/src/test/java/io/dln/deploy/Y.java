package io.dln.deploy;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Navigation in parsed YAML/JSON trees (maps, lists, scalars), and loading with SnakeYAML's safe constructor. */
final class Y {

    private Y() {
    }

    static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        return new Yaml(new SafeConstructor(options));
    }

    static List<Map<String, Object>> loadAll(String text) {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object doc : yaml().loadAll(text)) {
            if (doc == null) continue;
            docs.add(map(doc, "document"));
        }
        return docs;
    }

    static Map<String, Object> load(String text) {
        return map(yaml().load(text), "document");
    }

    /** The value at a dotted path of map keys ({@code "spec.template.spec"}), or null. */
    static Object at(Object node, String path) {
        Object current = node;
        for (String key : path.split("\\.")) {
            if (!(current instanceof Map<?, ?> m)) return null;
            current = m.get(key);
        }
        return current;
    }

    static Map<String, Object> mapAt(Object node, String path) {
        Object v = at(node, path);
        return v == null ? Map.of() : map(v, path);
    }

    static List<Object> listAt(Object node, String path) {
        Object v = at(node, path);
        return v == null ? List.of() : list(v, path);
    }

    static String str(Object node, String path) {
        Object v = at(node, path);
        return v == null ? null : String.valueOf(v);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object v, String what) {
        if (v instanceof Map<?, ?> m) return (Map<String, Object>) m;
        throw new AssertionError(what + " is not a mapping: " + v);
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object v, String what) {
        if (v instanceof List<?> l) return (List<Object>) l;
        throw new AssertionError(what + " is not a list: " + v);
    }

    static List<Map<String, Object>> maps(Object node, String path) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object o : listAt(node, path)) out.add(map(o, path + "[]"));
        return out;
    }
}
