package io.dln.tasks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Small text helpers shared by the task families. */
public final class Texts {

    private static final Pattern INTEGER = Pattern.compile("-?\\d+");
    private static final Pattern SPACES = Pattern.compile("\\s+");

    private Texts() {
    }

    /** Lower case with runs of whitespace collapsed to one space, for keyword matching. */
    public static String squash(String text) {
        return SPACES.matcher(text.toLowerCase(Locale.ROOT)).replaceAll(" ").trim();
    }

    public static List<Integer> integers(String text) {
        List<Integer> values = new ArrayList<>();
        Matcher m = INTEGER.matcher(text);
        while (m.find()) {
            try {
                values.add(Integer.parseInt(m.group()));
            } catch (NumberFormatException tooLong) {
                // a number this long is not one a task states; skip it
            }
        }
        return values;
    }

    /** "a", "a and b", "a, b and c". */
    public static String joinAnd(List<String> parts) {
        if (parts.isEmpty()) return "";
        if (parts.size() == 1) return parts.getFirst();
        return String.join(", ", parts.subList(0, parts.size() - 1)) + " and " + parts.getLast();
    }

    /**
     * A 64-bit hash of a text that is the same on every JVM (unlike identity hashes), used to
     * derive per-input choices such as which mistakes a wrong analysis makes.
     */
    public static long stableHash(String text) {
        long h = 0x9E3779B97F4A7C15L;
        for (int i = 0; i < text.length(); i++) {
            h ^= text.charAt(i);
            h *= 0xBF58476D1CE4E5B9L;
            h ^= h >>> 29;
        }
        h ^= h >>> 32;
        h *= 0x94D049BB133111EBL;
        return h ^ (h >>> 31);
    }
}
