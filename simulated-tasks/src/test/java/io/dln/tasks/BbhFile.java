package io.dln.tasks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the examples of a BIG-Bench-Hard JSON file without a JSON library (the module has no dependencies). */
final class BbhFile {

    private static final Pattern EXAMPLE = Pattern.compile(
            "\"input\":\\s*\"((?:[^\"\\\\]|\\\\.)*)\",\\s*\"target\":\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    private BbhFile() {
    }

    static List<TaskExample> read(Path file) throws IOException {
        String json = Files.readString(file);
        List<TaskExample> examples = new ArrayList<>();
        Matcher m = EXAMPLE.matcher(json);
        while (m.find()) examples.add(new TaskExample(unescape(m.group(1)), unescape(m.group(2))));
        return examples;
    }

    private static String unescape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char e = s.charAt(++i);
            switch (e) {
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                case 'r' -> sb.append('\r');
                case 'u' -> {
                    sb.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> sb.append(e);
            }
        }
        return sb.toString();
    }
}
