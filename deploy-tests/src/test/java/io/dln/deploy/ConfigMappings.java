package io.dln.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Property names declared by {@code @ConfigMapping} interfaces and {@code @ConfigProperty} injection points, read from
 * Java sources (no compiled classes needed). Handles what SmallRye Config mappings use here: nested interfaces,
 * {@code Optional<T>}, {@code Map<String, T>} (a {@code *} segment), {@code @WithName}, {@code @WithParentName},
 * method names in camel case turned into kebab case.
 */
final class ConfigMappings {

    private static final Pattern MAPPING = Pattern.compile("@ConfigMapping\\s*\\(\\s*prefix\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern CONFIG_PROPERTY = Pattern.compile("@ConfigProperty\\s*\\(\\s*name\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern INTERFACE = Pattern.compile("\\binterface\\s+(\\w+)[^{;]*\\{");
    private static final Pattern METHOD = Pattern.compile(
            "((?:@\\w+(?:\\s*\\([^)]*\\))?\\s*)*)([\\w.]+(?:\\s*<[^;(){}]*>)?(?:\\s*\\[\\s*])?)\\s+(\\w+)\\s*\\(\\s*\\)\\s*;");
    private static final Pattern DEFAULT_METHOD = Pattern.compile("\\bdefault\\b");
    private static final Pattern WITH_NAME = Pattern.compile("@WithName\\s*\\(\\s*\"([^\"]+)\"");

    private record Interface(String name, String body, Path file) {
    }

    /** Interfaces by simple name: the one in the same file first (nested types), then any. */
    private record Types(Map<String, Interface> any, Map<String, Interface> byFile) {
        Interface resolve(String simple, Path file) {
            Interface same = byFile.get(file + "#" + simple);
            return same != null ? same : any.get(simple);
        }
    }

    private ConfigMappings() {
    }

    static Set<String> propertyNames(List<Path> sourceRoots) {
        Map<String, Interface> interfaces = new HashMap<>();
        Map<String, Interface> byFile = new HashMap<>();
        Map<Path, String> texts = new HashMap<>();
        for (Path root : sourceRoots) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                    String text = stripComments(Files.readString(f));
                    texts.put(f, text);
                    Matcher m = INTERFACE.matcher(text);
                    while (m.find()) {
                        int open = m.end() - 1;
                        int close = matching(text, open);
                        Interface found = new Interface(m.group(1), text.substring(open + 1, close), f);
                        interfaces.putIfAbsent(m.group(1), found);
                        byFile.putIfAbsent(f + "#" + m.group(1), found);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read sources under " + root, e);
            }
        }
        Set<String> names = new TreeSet<>();
        for (Map.Entry<Path, String> e : texts.entrySet()) {
            String text = e.getValue();
            Matcher p = CONFIG_PROPERTY.matcher(text);
            while (p.find()) names.add(p.group(1));
            Matcher m = MAPPING.matcher(text);
            while (m.find()) {
                Matcher decl = INTERFACE.matcher(text);
                if (!decl.find(m.end())) continue;
                Interface root = byFile.get(e.getKey() + "#" + decl.group(1));
                if (root != null) collect(root, m.group(1), new Types(interfaces, byFile), names, 0);
            }
        }
        return names;
    }

    private static void collect(Interface type, String prefix, Types interfaces, Set<String> names, int depth) {
        if (depth > 8) throw new IllegalStateException("config mapping nested too deep at " + prefix);
        String own = topLevel(type.body());
        Matcher m = METHOD.matcher(own);
        while (m.find()) {
            String annotations = m.group(1);
            String returnType = m.group(2).replaceAll("\\s+", "");
            if (returnType.equals("void") || m.group(3).equals("toString") || m.group(3).equals("hashCode")) continue;
            int statement = Math.max(own.lastIndexOf(';', m.start(2)), 0);
            String modifiers = own.substring(statement, m.start(2)).replaceAll("\"[^\"]*\"", "\"\"");
            if (DEFAULT_METHOD.matcher(modifiers).find()) continue; // a default method, not a property
            String segment;
            Matcher withName = WITH_NAME.matcher(annotations);
            if (annotations.contains("@WithParentName")) segment = null;
            else if (withName.find()) segment = withName.group(1);
            else segment = kebab(m.group(3));
            String path = segment == null ? prefix : prefix + "." + segment;
            addType(returnType, path, type.file(), interfaces, names, depth);
        }
    }

    private static void addType(String type, String path, Path file, Types interfaces, Set<String> names, int depth) {
        String t = type;
        if (t.startsWith("Optional<") || t.startsWith("java.util.Optional<")) {
            t = t.substring(t.indexOf('<') + 1, t.lastIndexOf('>'));
        }
        if (t.startsWith("Map<") || t.startsWith("java.util.Map<")) {
            String args = t.substring(t.indexOf('<') + 1, t.lastIndexOf('>'));
            String value = args.substring(splitComma(args) + 1);
            addType(value, path + ".*", file, interfaces, names, depth + 1);
            return;
        }
        String simple = t.contains("<") ? t.substring(0, t.indexOf('<')) : t;
        simple = simple.substring(simple.lastIndexOf('.') + 1);
        Interface nested = interfaces.resolve(simple, file);
        if (nested != null && !t.contains("<")) {
            collect(nested, path, interfaces, names, depth + 1);
        } else {
            names.add(path);
        }
    }

    /** Index of the comma separating the two type arguments of {@code K,V} (generic-aware). */
    private static int splitComma(String args) {
        int depth = 0;
        for (int i = 0; i < args.length(); i++) {
            char c = args.charAt(i);
            if (c == '<') depth++;
            else if (c == '>') depth--;
            else if (c == ',' && depth == 0) return i;
        }
        throw new IllegalArgumentException("not a map's type arguments: " + args);
    }

    /** The body without its nested blocks (nested interfaces, default method bodies). */
    private static String topLevel(String body) {
        StringBuilder out = new StringBuilder(body.length());
        int depth = 0;
        for (char c : body.toCharArray()) {
            if (c == '{') {
                if (depth == 0) out.append(';');
                depth++;
            } else if (c == '}') {
                depth--;
            } else if (depth == 0) {
                out.append(c);
            }
        }
        return out.toString();
    }

    static String kebab(String camel) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < camel.length(); i++) {
            char c = camel.charAt(i);
            if (Character.isUpperCase(c)) {
                if (i > 0) out.append('-');
                out.append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static int matching(String text, int open) {
        int depth = 0;
        for (int i = open; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '{') depth++;
            else if (c == '}' && --depth == 0) return i;
        }
        throw new IllegalStateException("unbalanced braces");
    }

    /** Removes // and block comments, keeping string and character literals intact. */
    static String stripComments(String source) {
        StringBuilder out = new StringBuilder(source.length());
        int i = 0;
        int n = source.length();
        while (i < n) {
            char c = source.charAt(i);
            if (c == '"' || c == '\'') {
                if (c == '"' && source.startsWith("\"\"\"", i)) {
                    int end = source.indexOf("\"\"\"", i + 3);
                    end = end < 0 ? n : end + 3;
                    out.append(source, i, end);
                    i = end;
                    continue;
                }
                int j = i + 1;
                while (j < n && source.charAt(j) != c) {
                    if (source.charAt(j) == '\\') j++;
                    j++;
                }
                j = Math.min(n, j + 1);
                out.append(source, i, j);
                i = j;
            } else if (source.startsWith("//", i)) {
                int end = source.indexOf('\n', i);
                i = end < 0 ? n : end;
            } else if (source.startsWith("/*", i)) {
                int end = source.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
                out.append(' ');
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }
}
